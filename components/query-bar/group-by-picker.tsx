import { Field, inputClass } from '../ui/field';

/** Rows per operation (default) or per value of one tag key, e.g. actor_name or gen_ai.request.model. */
export function GroupByPicker({
  tagKeys,
  value,
  onChange,
}: {
  tagKeys: readonly string[];
  /** The tag key rows are grouped by; undefined = by operation. */
  value: string | undefined;
  onChange: (tagKey: string | undefined) => void;
}) {
  const options = value && !tagKeys.includes(value) ? [value, ...tagKeys] : tagKeys;
  return (
    <Field label="Group by" htmlFor="group-by-picker">
      <select
        id="group-by-picker"
        className={`${inputClass} min-w-40`}
        value={value ?? ''}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
      >
        <option value="">operation</option>
        {options.map((key) => (
          <option key={key} value={key}>
            tag: {key}
          </option>
        ))}
      </select>
    </Field>
  );
}
