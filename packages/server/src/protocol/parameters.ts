import { InvalidRequest } from './errors.js';

/** Query or form parameters with every value kept, so repeats can be detected. */
export type RawParameters = ReadonlyMap<string, readonly string[]>;

export function parseParameters(encoded: string): RawParameters {
  const parameters = new Map<string, string[]>();
  for (const [name, value] of new URLSearchParams(encoded)) {
    const values = parameters.get(name);
    if (values) values.push(value);
    else parameters.set(name, [value]);
  }
  return parameters;
}

/** The single value of a parameter; undefined if absent. Throws if it was sent more than once. */
export function single(parameters: RawParameters, name: string): string | undefined {
  const values = parameters.get(name);
  if (!values) return undefined;
  // RFC 6749 §3.1 and §3.2: request and response parameters MUST NOT be included more than once.
  if (values.length > 1) throw new InvalidRequest(`parameter ${name} was sent more than once`);
  return values[0];
}

/** The first value, ignoring repeats: for values echoed back (state) even in an error. */
export function first(parameters: RawParameters, name: string): string | undefined {
  return parameters.get(name)?.[0];
}

/** RFC 6749 §3.1: parameters sent without a value are treated as omitted. */
export function required(parameters: RawParameters, name: string): string {
  const value = single(parameters, name);
  if (value === undefined || value === '') throw new InvalidRequest(`missing required parameter ${name}`);
  return value;
}

export function rejectRepeatedParameters(parameters: RawParameters, names: readonly string[]): void {
  for (const name of names) single(parameters, name);
}
