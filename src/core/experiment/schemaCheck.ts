// A validator for the subset of JSON Schema draft-07 that experiment.schema.json uses (type, const, enum, minimum,
// maximum, exclusiveMinimum, minLength, minItems, maxItems, items, properties, required, additionalProperties:
// false, oneOf, local $ref). Written here rather than adding ajv (≈ 1 MB with its deps) because the schema file is
// small and this keeps it the single source of truth for both VS Code completion and run-time checks.
// Errors name the JSON path (e.g. steps[3].train.epochs).
export type Schema = Record<string, unknown>;

export function checkSchema(value: unknown, schema: Schema, root: Schema, where = '$'): string[] {
  if (typeof schema.$ref === 'string') {
    const parts = schema.$ref.replace(/^#\//, '').split('/');
    let s: unknown = root;
    for (const p of parts) s = (s as Record<string, unknown>)[p];
    return checkSchema(value, s as Schema, root, where);
  }
  if (Array.isArray(schema.oneOf)) {
    const errs = (schema.oneOf as Schema[]).map(s => checkSchema(value, s, root, where));
    const ok = errs.filter(e => e.length === 0).length;
    if (ok === 1) return [];
    if (ok > 1) return [`${where}: matches more than one alternative`];
    // Report the alternative whose discriminating "type" const matched, else the closest one.
    const best = errs.reduce((a, b) => (a.length <= b.length ? a : b));
    const typed = value && typeof value === 'object' ? errs.find(e => !e.some(m => m.startsWith(`${where}.type:`))) : undefined;
    return typed ?? best;
  }
  const errs: string[] = [];
  const t = schema.type;
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (t === 'integer' && !(typeof value === 'number' && Number.isInteger(value)))
    return [`${where}: expected an integer, got ${JSON.stringify(value)}`];
  if (t === 'number' && !(typeof value === 'number' && Number.isFinite(value)))
    return [`${where}: expected a number, got ${JSON.stringify(value)}`];
  if ((t === 'string' || t === 'boolean' || t === 'object' || t === 'array') && kind !== t) return [`${where}: expected ${t}, got ${kind}`];
  if ('const' in schema && value !== schema.const)
    return [`${where}: expected ${JSON.stringify(schema.const)}, got ${JSON.stringify(value)}`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    return [`${where}: expected one of ${schema.enum.map(v => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`];
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errs.push(`${where}: must be ≥ ${schema.minimum}, got ${value}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errs.push(`${where}: must be ≤ ${schema.maximum}, got ${value}`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
      errs.push(`${where}: must be > ${schema.exclusiveMinimum}, got ${value}`);
  }
  if (typeof value === 'string' && typeof schema.minLength === 'number' && value.length < schema.minLength)
    errs.push(`${where}: must not be empty`);
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      errs.push(`${where}: needs at least ${schema.minItems} item(s)`);
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      errs.push(`${where}: allows at most ${schema.maxItems} item(s)`);
    if (schema.items) value.forEach((v, i) => errs.push(...checkSchema(v, schema.items as Schema, root, `${where}[${i}]`)));
  }
  if (kind === 'object') {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) errs.push(`${where}: missing required property "${r}"`);
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) errs.push(...checkSchema(v, props[k], root, `${where}.${k}`));
      else if (schema.additionalProperties === false) errs.push(`${where}: unknown property "${k}"`);
    }
  }
  return errs;
}
