import { Button } from '../ui/button';
import { Field, inputClass } from '../ui/field';

/**
 * Two `datetime-local` inputs (local wall-clock text, kept by the picker that seeds them) and a button
 * that applies the range only once both dates are there and start is before end, so half-typed dates never query.
 */
export function RangeInputs({
  idPrefix,
  labels,
  start,
  end,
  onStartChange,
  onEndChange,
  onApply,
}: {
  idPrefix: string;
  labels: { readonly from: string; readonly to: string; readonly apply: string };
  start: string;
  end: string;
  onStartChange: (value: string) => void;
  onEndChange: (value: string) => void;
  onApply: (range: { startUs: number; endUs: number }) => void;
}) {
  const startMs = new Date(start).getTime();
  const endMs = new Date(end).getTime();
  const rangeError = Number.isNaN(startMs) || Number.isNaN(endMs) ? 'Enter both dates.' : startMs >= endMs ? 'Start must be before end.' : null;
  return (
    <>
      <Field label={labels.from} htmlFor={`${idPrefix}-start`}>
        <input id={`${idPrefix}-start`} type="datetime-local" className={inputClass} value={start} onChange={(e) => onStartChange(e.target.value)} />
      </Field>
      <Field label={labels.to} htmlFor={`${idPrefix}-end`}>
        <input id={`${idPrefix}-end`} type="datetime-local" className={inputClass} value={end} onChange={(e) => onEndChange(e.target.value)} />
      </Field>
      <Button
        disabled={rangeError !== null}
        title={rangeError ?? undefined}
        onClick={() => onApply({ startUs: startMs * 1_000, endUs: endMs * 1_000 })}
      >
        {labels.apply}
      </Button>
    </>
  );
}
