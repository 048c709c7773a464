/** A name cell cut to one line at `width`, the whole name in its title (service and operation names can be 10,000 characters). */
export function TruncatedCell({ text, width }: { text: string; width: 'max-w-40' | 'max-w-48' | 'max-w-xs' }) {
  return (
    <td className={`${width} truncate px-2 py-1.5`} title={text}>
      {text}
    </td>
  );
}
