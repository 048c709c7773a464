// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SavedViews, type SavedViewItem } from './saved-views';

afterEach(cleanup);

const noop = () => undefined;
const renderViews = (views: SavedViewItem[]) =>
  render(<SavedViews views={views} onSave={noop} onRename={noop} onDelete={noop} busy={false} error={null} />);

describe('SavedViews', () => {
  it('links a view to its page on this app', () => {
    renderViews([{ id: 'a', name: 'Slow checkouts', href: '/operation?service=api' }]);
    expect(screen.getByRole('link', { name: 'Slow checkouts' }).getAttribute('href')).toBe('/operation?service=api');
  });

  it.each([null, '//1572395042/phish', '/\\evil.example', '/\t/evil.example', 'https://evil.example/'])(
    'shows the name of a view whose href is %j without any link',
    (href) => {
      renderViews([{ id: 'a', name: 'Phish', href }]);
      expect(screen.getByText('Phish').tagName).toBe('SPAN');
      expect(screen.queryAllByRole('link')).toHaveLength(0);
    },
  );
});
