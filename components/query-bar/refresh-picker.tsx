import { REFRESH_INTERVALS, type RefreshInterval } from '@/lib/query';
import { Field, inputClass } from '../ui/field';

/** Live mode: re-run the query on an interval (react-query pauses it while the tab is hidden). */
export function RefreshPicker({ value, onChange }: { value: RefreshInterval; onChange: (value: RefreshInterval) => void }) {
  return (
    <Field label="Refresh" htmlFor="refresh-picker">
      <select id="refresh-picker" className={inputClass} value={value} onChange={(event) => onChange(event.target.value as RefreshInterval)}>
        {REFRESH_INTERVALS.map((interval) => (
          <option key={interval} value={interval}>
            {interval === 'off' ? 'off' : `every ${interval}`}
          </option>
        ))}
      </select>
    </Field>
  );
}
