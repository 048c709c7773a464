// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DownloadButton } from '../ui/download-button';
import { ShareSnapshotButton } from './share-snapshot-button';
import { SnapshotList } from './snapshot-list';

afterEach(cleanup);

describe('ShareSnapshotButton', () => {
  it('shows the frozen link the server answered, as an absolute URL on this origin', async () => {
    render(<ShareSnapshotButton share={() => Promise.resolve('/s/Yq3c1x0RzL8a')} />);
    fireEvent.click(screen.getByRole('button', { name: 'Share snapshot' }));
    const field = await screen.findByLabelText('Frozen link to these numbers');
    expect((field as HTMLInputElement).value).toBe(`${window.location.origin}/s/Yq3c1x0RzL8a`);
    expect(screen.getByRole('link', { name: 'Open' }).getAttribute('href')).toBe(`${window.location.origin}/s/Yq3c1x0RzL8a`);
  });

  it('still shows the link where the browser has no clipboard (plain http)', async () => {
    const clipboard = Object.getOwnPropertyDescriptor(navigator, 'clipboard');
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    try {
      render(<ShareSnapshotButton share={() => Promise.resolve('/s/abc')} />);
      fireEvent.click(screen.getByRole('button', { name: 'Share snapshot' }));
      expect(((await screen.findByLabelText('Frozen link to these numbers')) as HTMLInputElement).value).toBe(`${window.location.origin}/s/abc`);
      expect(screen.queryByRole('alert')).toBeNull();
    } finally {
      if (clipboard) Object.defineProperty(navigator, 'clipboard', clipboard);
      else Reflect.deleteProperty(navigator, 'clipboard');
    }
  });

  it("says why when the server refused, in the server's own words", async () => {
    render(<ShareSnapshotButton share={() => Promise.reject(new Error('This result is 6.2 MB; a snapshot holds at most 5 MB.'))} />);
    fireEvent.click(screen.getByRole('button', { name: 'Share snapshot' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This result is 6.2 MB; a snapshot holds at most 5 MB.');
    expect(screen.queryByLabelText('Frozen link to these numbers')).toBeNull();
  });
});

describe('DownloadButton', () => {
  it('links CSV and JSON to the API with the page params, format and table', () => {
    render(<DownloadButton api="/api/metrics" params="service=a%20b&include=groups" table="groups" label="operations" />);
    const csv = screen.getByRole('link', { name: 'Download operations as CSV' });
    expect(csv.getAttribute('href')).toBe('/api/metrics?service=a%20b&include=groups&format=csv&table=groups');
    expect(csv.hasAttribute('download')).toBe(true);
    expect(screen.getByRole('link', { name: 'Download operations as JSON' }).getAttribute('href')).toBe(
      '/api/metrics?service=a%20b&include=groups&format=json',
    );
  });

  it('writes no stray & when the page has no params', () => {
    render(<DownloadButton api="/api/overview" params="" table="services" label="services" />);
    expect(screen.getByRole('link', { name: 'Download services as CSV' }).getAttribute('href')).toBe('/api/overview?format=csv&table=services');
  });
});

describe('SnapshotList', () => {
  const snapshots = [
    { id: 'a', href: '/s/a', title: 'Overview · checkout', detail: '2026-12-02 09:30:00 UTC from http://jaeger:16686' },
    { id: 'b', href: '/s/b', title: 'Service map', detail: '2026-12-01 08:00:00 UTC from Demo data set' },
  ];

  it('links every snapshot but the one on screen, and deletes by id', () => {
    const deleted: string[] = [];
    render(<SnapshotList snapshots={snapshots} currentId="a" onDelete={(id) => deleted.push(id)} busy={false} error={null} />);
    expect(screen.getByText('Overview · checkout (this page)').tagName).toBe('SPAN');
    expect(screen.getByRole('link', { name: 'Service map' }).getAttribute('href')).toBe('/s/b');
    fireEvent.click(screen.getByRole('button', { name: 'Delete snapshot Service map, 2026-12-01 08:00:00 UTC from Demo data set' }));
    expect(deleted).toEqual(['b']);
  });

  it('says how to make one when there is none', () => {
    render(<SnapshotList snapshots={[]} onDelete={() => undefined} busy={false} error={null} />);
    expect(screen.getByText(/No snapshots yet/)).toBeTruthy();
  });
});
