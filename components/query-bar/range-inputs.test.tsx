// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RangeInputs } from './range-inputs';

afterEach(cleanup);

const labels = { from: 'From', to: 'To', apply: 'Apply range' };

function renderRange(start: string, end: string) {
  const onApply = vi.fn();
  render(<RangeInputs idPrefix="w" labels={labels} start={start} end={end} onStartChange={vi.fn()} onEndChange={vi.fn()} onApply={onApply} />);
  return { button: screen.getByRole('button', { name: 'Apply range' }) as HTMLButtonElement, onApply };
}

describe('RangeInputs', () => {
  it('applies a range whose start is before its end, in µs of the local times typed', () => {
    const { button, onApply } = renderRange('2026-01-02T10:00', '2026-01-02T10:30');
    expect(button.disabled).toBe(false);
    fireEvent.click(button);
    const startUs = new Date('2026-01-02T10:00').getTime() * 1_000;
    expect(onApply).toHaveBeenCalledWith({ startUs, endUs: startUs + 30 * 60_000_000 });
  });

  it('will not apply a half-typed or backwards range, and says why', () => {
    expect(renderRange('', '2026-01-02T10:30').button.title).toBe('Enter both dates.');
    cleanup();
    const { button } = renderRange('2026-01-02T10:30', '2026-01-02T10:30');
    expect(button.disabled).toBe(true);
    expect(button.title).toBe('Start must be before end.');
  });

  it('labels both inputs, so each has an accessible name', () => {
    renderRange('', '');
    expect(screen.getByLabelText('From')).toHaveProperty('type', 'datetime-local');
    expect(screen.getByLabelText('To')).toHaveProperty('type', 'datetime-local');
  });
});
