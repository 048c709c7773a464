// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OptionalServicePicker, SERVICE_LABEL_MAX_CHARS, ServicePicker, serviceLabel } from './service-picker';

afterEach(cleanup);

// As long as the URL grammar lets a service name be.
const huge = 's'.repeat(10_000);

function renderPicker(props: Partial<Parameters<typeof ServicePicker>[0]> = {}) {
  const onChange = vi.fn();
  render(<ServicePicker services={['checkout', huge]} value={undefined} onChange={onChange} loading={false} {...props} />);
  return { select: screen.getByRole('combobox', { name: 'Service' }) as HTMLSelectElement, onChange };
}

describe('serviceLabel', () => {
  it('keeps a name of up to 80 characters as it is', () => {
    expect(serviceLabel('checkout')).toBe('checkout');
    expect(serviceLabel('a'.repeat(SERVICE_LABEL_MAX_CHARS))).toBe('a'.repeat(SERVICE_LABEL_MAX_CHARS));
  });

  it('cuts a longer name to 80 characters, the last an ellipsis', () => {
    const label = serviceLabel(huge);
    expect(label).toBe(`${'s'.repeat(SERVICE_LABEL_MAX_CHARS - 1)}…`);
    expect(Array.from(label)).toHaveLength(SERVICE_LABEL_MAX_CHARS);
  });

  it('counts code points, so an astral character is never split in half', () => {
    const emoji = '🚀'.repeat(60); // 120 UTF-16 units, 60 code points: short enough
    expect(serviceLabel(emoji)).toBe(emoji);
    const label = serviceLabel('🚀'.repeat(100));
    expect(label).toBe(`${'🚀'.repeat(SERVICE_LABEL_MAX_CHARS - 1)}…`);
    expect(label).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe('ServicePicker', () => {
  it('shows a 10,000-character name cut short, with the whole name in its title and value', () => {
    renderPicker();
    const option = screen.getByRole('option', { name: serviceLabel(huge) }) as HTMLOptionElement;
    expect(option.textContent).toHaveLength(SERVICE_LABEL_MAX_CHARS);
    expect(option.value).toBe(huge);
    expect(option.title).toBe(huge);
    const short = screen.getByRole('option', { name: 'checkout' }) as HTMLOptionElement;
    expect(short.hasAttribute('title')).toBe(false);
  });

  it('bounds the select itself, and names the chosen service in full in its title', () => {
    const { select } = renderPicker({ value: huge });
    expect(select.className.split(' ')).toEqual(expect.arrayContaining(['max-w-xs', 'truncate']));
    expect(select.value).toBe(huge);
    expect(select.title).toBe(huge);
  });

  it('hands the whole name on when a long one is chosen', () => {
    const { select, onChange } = renderPicker();
    fireEvent.change(select, { target: { value: huge } });
    expect(onChange).toHaveBeenCalledWith(huge);
  });

  it('keeps a chosen service that is not in the list (from the URL), cut short the same way', () => {
    const fromUrl = `${'u'.repeat(9_000)}-svc`;
    const { select } = renderPicker({ value: fromUrl });
    expect(select.value).toBe(fromUrl);
    expect((select.options[0] as HTMLOptionElement).textContent).toBe(serviceLabel(fromUrl));
    expect(screen.queryByRole('option', { name: 'Choose a service' })).toBeNull();
  });
});

describe('OptionalServicePicker', () => {
  it('offers "All services" first, keeps a service from the URL that is not listed, and hands on undefined for all', () => {
    const onChange = vi.fn();
    render(<OptionalServicePicker id="focus" label="Focus" services={['checkout']} value="from-url" onChange={onChange} />);
    const select = screen.getByRole('combobox', { name: 'Focus' }) as HTMLSelectElement;
    expect(Array.from(select.options, (option) => option.value)).toEqual(['', 'from-url', 'checkout']);
    expect(select.value).toBe('from-url');
    fireEvent.change(select, { target: { value: '' } });
    expect(onChange).toHaveBeenLastCalledWith(undefined);
    fireEvent.change(select, { target: { value: 'checkout' } });
    expect(onChange).toHaveBeenLastCalledWith('checkout');
  });
});
