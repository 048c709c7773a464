'use client';

import { useState } from 'react';
import type { BaselineSpec, QueryWindow } from '@/lib/query';
import { formatCompactDuration, parseDuration } from '@/lib/units';
import { Field, inputClass } from '../ui/field';
import { toLocalInput, windowRangeMsNow } from './local-time';
import { RangeInputs } from './range-inputs';

const SHIFT_PRESETS = ['1d', '1w'] as const;

/**
 * "Compare with": no baseline, the previous window, the same window a day or a week earlier (or any
 * shift a URL gives), or a range the user types (applied with a button so half-typed dates never query).
 */
export function BaselinePicker({
  value,
  onChange,
  window,
}: {
  value: BaselineSpec | undefined;
  onChange: (value: BaselineSpec | undefined) => void;
  /** The view's window: as it resolves now, it seeds the range inputs with the previous window. */
  window: QueryWindow;
}) {
  const [custom, setCustom] = useState(value?.kind === 'range');
  const [start, setStart] = useState(value?.kind === 'range' ? toLocalInput(Math.floor(value.startUs / 1_000)) : '');
  const [end, setEnd] = useState(value?.kind === 'range' ? toLocalInput(Math.floor(value.endUs / 1_000)) : '');
  const shift = value?.kind === 'shift' ? formatCompactDuration(value.shiftUs) : null;
  const shifts: readonly string[] =
    shift === null || (SHIFT_PRESETS as readonly string[]).includes(shift) ? SHIFT_PRESETS : [...SHIFT_PRESETS, shift];
  const selected = custom ? 'range' : value === undefined ? 'none' : value.kind === 'previous' ? 'previous' : (shift ?? 'none');
  return (
    <div className="flex flex-wrap items-end gap-2">
      <Field label="Compare with" htmlFor="baseline-picker">
        <select
          id="baseline-picker"
          className={inputClass}
          value={selected}
          onChange={(event) => {
            const choice = event.target.value;
            setCustom(choice === 'range');
            if (choice === 'range') {
              const { startMs: from, endMs: to } = windowRangeMsNow(window);
              setStart(toLocalInput(from - (to - from)));
              setEnd(toLocalInput(from));
            } else if (choice === 'none') onChange(undefined);
            else if (choice === 'previous') onChange({ kind: 'previous' });
            else onChange({ kind: 'shift', shiftUs: parseDuration(choice) ?? 0 });
          }}
        >
          <option value="none">no baseline</option>
          <option value="previous">the previous window</option>
          {shifts.map((preset) => (
            <option key={preset} value={preset}>
              the same window {preset} earlier
            </option>
          ))}
          <option value="range">a chosen range…</option>
        </select>
      </Field>
      {custom ? (
        <RangeInputs
          idPrefix="baseline"
          labels={{ from: 'Baseline from', to: 'Baseline to', apply: 'Apply baseline' }}
          start={start}
          end={end}
          onStartChange={setStart}
          onEndChange={setEnd}
          onApply={(range) => onChange({ kind: 'range', ...range })}
        />
      ) : null}
    </div>
  );
}
