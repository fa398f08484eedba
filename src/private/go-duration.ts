/**
 * A whole number of seconds as Go's `time.Duration.String()` prints it
 * (`720h0m0s`, `1m30s`, `45s`): the form the API server stores a
 * metav1.Duration in, and the form Velero writes back.
 */
export function goDurationString(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
