/**
 * Where the YAML writer of `cdk8s synth` and the Go YAML reader behind
 * kubectl, Argo CD and Flux (go-yaml v2, through sigs.k8s.io/yaml) disagree
 * about a plain scalar.
 *
 * cdk8s writes YAML 1.1 and quotes a string only when YAML 1.1 would read it
 * as something else. go-yaml reads a plain scalar that starts with a digit or
 * a sign as a number once it has dropped every '_' and finds Go's own number
 * syntax (0o17, 0b1, 1e3, ...). A string such as '-_2' or '0o17' is therefore
 * written unquoted and read back as a number, and the API server refuses the
 * object ("expected string").
 */

/** The plain scalars YAML 1.1 reads as numbers: the writer quotes strings like these. */
const YAML11_NUMBERS = [
  /^[-+]?0b[0-1_]+$/,
  /^[-+]?0[0-7_]+$/,
  /^[-+]?[0-9][0-9_]*$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
  /^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$/,
];

/** Go's integer syntax with base prefixes (strconv.ParseInt base 0), after go-yaml drops the '_'. */
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
/** go-yaml's float syntax (yamlStyleFloat), after it drops the '_'. */
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/**
 * Whether `cdk8s synth` writes this string unquoted but kubectl's YAML reader
 * takes it for a number. Scalars that start with '.' agree in both (go-yaml
 * keeps their '_', and YAML 1.1's float syntax covers Go's there).
 */
export function goYamlMisreadsAsNumber(value: string): boolean {
  if (!/^[-+0-9]/.test(value)) return false;
  if (YAML11_NUMBERS.some(re => re.test(value))) return false;
  const plain = value.replace(/_/g, '');
  return GO_INT.test(plain) || GO_FLOAT.test(plain);
}
