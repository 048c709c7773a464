/** The value kept under (outer, inner) in a map of maps, made by `make` and stored the first time the pair is asked for. */
export function nestedValue<A, B, V>(map: Map<A, Map<B, V>>, outer: A, inner: B, make: () => V): V {
  let values = map.get(outer);
  if (values === undefined) {
    values = new Map();
    map.set(outer, values);
  }
  let value = values.get(inner);
  if (value === undefined) {
    value = make();
    values.set(inner, value);
  }
  return value;
}
