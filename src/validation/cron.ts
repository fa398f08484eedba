/**
 * Cron schedules as CDI reads a DataImportCron's `schedule`: robfig/cron v3's
 * standard parser (5 fields, descriptors, `@every <duration>`, an optional
 * `CRON_TZ=`/`TZ=` time zone prefix).
 */

interface FieldBounds {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAY_NAMES = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const FIELDS: readonly FieldBounds[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day of week', min: 0, max: 6, names: DAY_NAMES },
];

const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);

/** Go's `time.ParseDuration` grammar: signed, one or more number+unit pairs, or a bare `0`. */
const GO_DURATION = /^[-+]?(0|((\d+\.?\d*|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$/;

/** Go's `strconv.Atoi` on what the parser passes it: optional sign, decimal digits. */
function parseNumber(text: string): number | undefined {
  if (!/^[-+]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

function parseValue(text: string, bounds: FieldBounds): number | string {
  const named = bounds.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  const n = parseNumber(text);
  if (n === undefined) return `'${text}' is not a number${bounds.names ? ' or a name' : ''}`;
  if (n < 0) return `negative number ${text} in the ${bounds.name} field`;
  return n;
}

/** One comma-separated part of a field: `*`, `?`, `n`, `a-b`, each optionally `/step`. */
function checkRange(expr: string, bounds: FieldBounds): string | undefined {
  const rangeAndStep = expr.split('/');
  if (rangeAndStep.length > 2) return `too many slashes in '${expr}'`;
  const lowHigh = rangeAndStep[0].split('-');
  let start: number;
  let end: number;
  if (lowHigh[0] === '*' || lowHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
  } else {
    if (lowHigh.length > 2) return `too many hyphens in '${expr}'`;
    const a = parseValue(lowHigh[0], bounds);
    if (typeof a === 'string') return a;
    start = a;
    if (lowHigh.length === 2) {
      const b = parseValue(lowHigh[1], bounds);
      if (typeof b === 'string') return b;
      end = b;
    } else {
      end = start;
    }
  }
  if (rangeAndStep.length === 2) {
    const step = parseNumber(rangeAndStep[1]);
    if (step === undefined) return `step '${rangeAndStep[1]}' is not a number`;
    if (step < 0) return `negative step in '${expr}'`;
    if (step === 0) return `step of '${expr}' must be a positive number`;
    if (lowHigh.length === 1) end = bounds.max;
  }
  if (start < bounds.min) return `${bounds.name} ${start} is below ${bounds.min}`;
  if (end > bounds.max) return `${bounds.name} ${end} is above ${bounds.max}`;
  if (start > end) return `range '${expr}' starts after it ends`;
  return undefined;
}

/** Whether Go's `time.LoadLocation` would find the zone (checked against the runtime's IANA database). */
function isKnownTimeZone(zone: string): boolean {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks a schedule as robfig/cron v3's `ParseStandard` does (the parser CDI
 * validates DataImportCron schedules with). Returns the problem, or undefined.
 */
export function checkCronSchedule(schedule: string): string | undefined {
  if (schedule.length === 0) return 'must not be empty';
  let spec = schedule;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    if (space < 0) return 'has a time zone prefix but no schedule after it';
    const zone = spec.slice(spec.indexOf('=') + 1, space);
    if (!isKnownTimeZone(zone)) return `names the unknown time zone '${zone}'`;
    spec = spec.slice(space).trim();
  }
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.has(spec)) return undefined;
    if (spec.startsWith('@every ')) {
      const duration = spec.slice('@every '.length);
      return GO_DURATION.test(duration) ? undefined : `has an @every duration '${duration}' that is not a Go duration such as 1h30m`;
    }
    return `uses the unknown descriptor '${spec}'`;
  }
  const fields = spec.split(/\s+/).filter(f => f !== '');
  if (fields.length !== FIELDS.length) return `must have exactly 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`;
  for (let i = 0; i < FIELDS.length; i++) {
    for (const part of fields[i].split(',').filter(p => p !== '')) {
      const problem = checkRange(part, FIELDS[i]);
      if (problem) return `has an invalid ${FIELDS[i].name} field: ${problem}`;
    }
  }
  return undefined;
}
