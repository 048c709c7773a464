import { Field, inputClass } from '../ui/field';

export function ServicePicker({
  services,
  value,
  onChange,
  loading,
}: {
  services: readonly string[];
  value: string | undefined;
  onChange: (service: string) => void;
  loading: boolean;
}) {
  const options = value && !services.includes(value) ? [value, ...services] : services;
  return (
    <Field label="Service" htmlFor="service-picker">
      <select
        id="service-picker"
        className={`${inputClass} min-w-44`}
        value={value ?? ''}
        onChange={(event) => onChange(event.target.value)}
        disabled={loading && services.length === 0}
      >
        {value ? null : <option value="">{loading ? 'Loading services…' : 'Choose a service'}</option>}
        {options.map((service) => (
          <option key={service} value={service}>
            {service}
          </option>
        ))}
      </select>
    </Field>
  );
}
