'use client';

import { useState } from 'react';
import { LOOKBACK_PRESETS, type QueryWindow } from '@/lib/query';
import { formatCompactDuration, parseDuration } from '@/lib/units';
import { Field, inputClass } from '../ui/field';
import { toLocalInput, windowRangeMsNow } from './local-time';
import { RangeInputs } from './range-inputs';

/** Lookback presets, or an absolute range the user types (applied with a button so half-typed dates never query). */
export function WindowPicker({ value, onChange }: { value: QueryWindow; onChange: (value: QueryWindow) => void }) {
  const [custom, setCustom] = useState(value.kind === 'absolute');
  const [start, setStart] = useState(value.kind === 'absolute' ? toLocalInput(Math.floor(value.startUs / 1_000)) : '');
  const [end, setEnd] = useState(value.kind === 'absolute' ? toLocalInput(Math.floor(value.endUs / 1_000)) : '');
  // A lookback from a shared URL that no preset spells (e.g. 1h30m) is offered too, so the select can show it.
  const lookback = value.kind === 'relative' ? formatCompactDuration(value.lookbackUs) : null;
  const presets: readonly string[] =
    lookback === null || (LOOKBACK_PRESETS as readonly string[]).includes(lookback) ? LOOKBACK_PRESETS : [...LOOKBACK_PRESETS, lookback];
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Field label="Window" htmlFor="window-picker">
        <select
          id="window-picker"
          className={inputClass}
          value={custom || lookback === null ? 'custom' : lookback}
          onChange={(event) => {
            if (event.target.value === 'custom') {
              const range = windowRangeMsNow(value);
              setStart(toLocalInput(range.startMs));
              setEnd(toLocalInput(range.endMs));
              setCustom(true);
            } else {
              setCustom(false);
              onChange({ kind: 'relative', lookbackUs: parseDuration(event.target.value) ?? 0 });
            }
          }}
        >
          {presets.map((preset) => (
            <option key={preset} value={preset}>
              last {preset}
            </option>
          ))}
          <option value="custom">absolute range…</option>
        </select>
      </Field>
      {custom ? (
        <RangeInputs
          idPrefix="window"
          labels={{ from: 'From', to: 'To', apply: 'Apply range' }}
          start={start}
          end={end}
          onStartChange={setStart}
          onEndChange={setEnd}
          onApply={(range) => onChange({ kind: 'absolute', ...range })}
        />
      ) : null}
    </div>
  );
}
