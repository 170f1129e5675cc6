/**
 * Deterministic JSON: the values JSON.stringify would write (toJSON honoured, undefined/function/
 * symbol members dropped and array slots null), with object keys sorted by code unit and no
 * whitespace; non-finite numbers and bigints are refused rather than silently changed. The hash
 * chain is computed over this form, so a verifier outside the platform can recompute it, and
 * canonicalJson(x) equals canonicalJson(JSON.parse(JSON.stringify(x))), without that round trip.
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

/** undefined where JSON.stringify would leave the member out. */
function write(input: unknown): string | undefined {
  let value = input;
  if (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  ) {
    value = (value as { toJSON: () => unknown }).toJSON();
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('non-finite number in event');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('bigint in event: encode it as a string');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i ? ',' : ''}${write(value[i]) ?? 'null'}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  let out = '{';
  for (const k of Object.keys(record).sort()) {
    const v = write(record[k]);
    if (v !== undefined) out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${v}`;
  }
  return `${out}}`;
}
