import { checkCronSchedule } from '../../src/validation';

// cases follow robfig/cron v3.0.1's ParseStandard, the parser CDI validates DataImportCron schedules with
describe('checkCronSchedule', () => {
  test.each([
    '0 3 * * 1', '*/15 * * * *', '0 0 1 1 *', '0-59/5 0-23 1-31 1-12 0-6', '5 4 * * sun', '0 0 * JAN-DEC MON', '0 0 ? * *',
    '7/10 * * * *', '1,,2 * * * *', '+5 * * * *', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly',
    '@every 1h', '@every 90s', '@every 1.5h', '@every 0', '@every .5m', 'CRON_TZ=UTC 0 3 * * *', 'TZ=America/New_York @daily',
    'CRON_TZ=Local 0 3 * * *', '0   3 * * 1',
  ])('accepts %p', (schedule) => {
    expect(checkCronSchedule(schedule)).toBeUndefined();
  });

  test.each([
    ['', 'must not be empty'],
    ['61 25 * * *', 'minute 61 is above 59'],
    ['0 24 * * *', 'hour 24 is above 23'],
    ['0 0 0 * *', 'day of month 0 is below 1'],
    ['0 0 * 13 *', 'month 13 is above 12'],
    ['0 0 * * 7', 'day of week 7 is above 6'],
    ['*/0 * * * *', "step of '*/0' must be a positive number"],
    ['5-1 * * * *', "range '5-1' starts after it ends"],
    ['1-2-3 * * * *', "too many hyphens in '1-2-3'"],
    ['1/2/3 * * * *', "too many slashes in '1/2/3'"],
    ['x * * * *', "'x' is not a number"],
    ['0 0 * foo *', "'foo' is not a number or a name"],
    ['0 3 * *', 'exactly 5 fields'],
    ['0 0 3 * * *', 'exactly 5 fields'],
    ['@reboot', "unknown descriptor '@reboot'"],
    ['@every', "unknown descriptor '@every'"],
    ['@every 1 hour', "'1 hour' that is not a Go duration"],
    ['@every 5', "'5' that is not a Go duration"],
    ['@daily ', "unknown descriptor '@daily '"],
    ['CRON_TZ=Nowhere/City 0 3 * * *', "unknown time zone 'Nowhere/City'"],
    ['TZ=UTC', 'time zone prefix but no schedule'],
  ])('refuses %p', (schedule, problem) => {
    expect(checkCronSchedule(schedule)).toContain(problem);
  });
});
