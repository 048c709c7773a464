import { Button } from '../ui/button';

/** `fold=1`: ID-laden operation names (`GET /items/12345`) fold into one row per route (`GET /items/{id}`). */
export function FoldNamesToggle({ value, onChange }: { value: boolean; onChange: (fold: boolean) => void }) {
  return (
    <label
      className="flex items-center gap-2 self-center text-sm"
      title="Folds IDs in operation names (numbers, UUIDs, hex IDs, dates, e-mails in path segments) into {id}, {uuid}, {hex}, {date}, {email}"
    >
      <input type="checkbox" checked={value} onChange={(event) => onChange(event.target.checked)} />
      Fold IDs in names
    </label>
  );
}

/** "N names folded", with the way back; nothing while folding is off. */
export function FoldedNamesNotice({ foldedNames, groups, onUndo }: { foldedNames: number; groups: number; onUndo: () => void }) {
  return (
    <p role="status" className="flex items-center gap-2 text-sm text-slate-600 dark:text-slate-300">
      {foldedNames === 0
        ? 'No names folded: no operation name in this window carries an ID.'
        : `${foldedNames.toLocaleString('en-US')} ${foldedNames === 1 ? 'name' : 'names'} folded into ${groups.toLocaleString('en-US')} ${groups === 1 ? 'row' : 'rows'}.`}
      <Button variant="ghost" onClick={onUndo}>
        Undo
      </Button>
    </p>
  );
}
