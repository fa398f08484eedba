import { Yaml } from 'cdk8s';
import { goYamlMisreadsAsNumber } from '../../src/validation';

describe('goYamlMisreadsAsNumber', () => {
  // checked against go.yaml.in/yaml/v2 (what sigs.k8s.io/yaml reads with):
  // each of these decodes as a number from the plain scalar cdk8s writes
  test.each(['-_2', '+_5', '0o17', '0_o17', '-_1e3', '1__e_3'])('%s: written plain, read by Go as a number', value => {
    expect(goYamlMisreadsAsNumber(value)).toBe(true);
    expect(Yaml.stringify({ v: value }).trim()).toBe(`v: ${value}`);
  });

  // numbers YAML 1.1 knows are quoted by the writer; the rest stay strings in Go too
  test.each(['123', '1_000', '08', '0b101', '0x1F', '1e3', '.5', '-', '_2', '3..', '-44..._', 'DATA01', 'S-_2'])('%s: no disagreement', value => {
    expect(goYamlMisreadsAsNumber(value)).toBe(false);
  });
});
