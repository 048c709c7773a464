import { Field, inputClass } from '../ui/field';

/** The most of a service name an option shows; the rest is in its title, and the value stays whole. */
export const SERVICE_LABEL_MAX_CHARS = 80;

/**
 * A service name as an option shows it: names come from spans and the URL grammar takes up to 10,000
 * characters, and a native select is as wide as its widest option. Cut by code point, so an emoji or
 * other astral character is never split in half.
 */
export function serviceLabel(service: string): string {
  if (service.length <= SERVICE_LABEL_MAX_CHARS) return service;
  const codePoints = Array.from(service);
  return codePoints.length <= SERVICE_LABEL_MAX_CHARS ? service : `${codePoints.slice(0, SERVICE_LABEL_MAX_CHARS - 1).join('')}…`;
}

/** One option per service, each cut short by serviceLabel with the whole name in its title. */
function ServiceOptions({ services }: { services: readonly string[] }) {
  return services.map((service) => {
    const label = serviceLabel(service);
    return (
      <option key={service} value={service} title={label === service ? undefined : service}>
        {label}
      </option>
    );
  });
}

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
        className={`${inputClass} min-w-44 max-w-xs truncate`}
        value={value ?? ''}
        title={value || undefined}
        onChange={(event) => onChange(event.target.value)}
        disabled={loading && services.length === 0}
      >
        {value ? null : <option value="">{loading ? 'Loading services…' : 'Choose a service'}</option>}
        <ServiceOptions services={options} />
      </select>
    </Field>
  );
}

/** A service filter that may be left at "All services" (undefined); a service in the URL but not in the list is still offered. */
export function OptionalServicePicker({
  id,
  label = 'Service',
  services,
  value,
  onChange,
}: {
  id: string;
  label?: string;
  services: readonly string[];
  value: string | undefined;
  onChange: (service: string | undefined) => void;
}) {
  const options = value && !services.includes(value) ? [value, ...services] : services;
  return (
    <Field label={label} htmlFor={id}>
      <select
        id={id}
        className={`${inputClass} max-w-xs min-w-44 truncate`}
        value={value ?? ''}
        title={value || undefined}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
      >
        <option value="">All services</option>
        <ServiceOptions services={options} />
      </select>
    </Field>
  );
}
