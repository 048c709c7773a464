// @vitest-environment happy-dom
import { cleanup, fireEvent, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ServiceMap, type MapEdge, type MapNode } from './service-map';

afterEach(cleanup);

const node = (id: string, peer = false): MapNode => ({
  id,
  title: id,
  lines: ['in 1/s · 0% errors'],
  peer,
  href: `/?service=${id}`,
  label: `Service ${id}`,
});
const edge = (from: string, to: string, failing = false): MapEdge => ({
  id: `${from}→${to}`,
  from,
  to,
  lines: ['3 calls · 1/s', 'gap p50 1 ms'],
  failing,
  href: `/operation?service=${from}`,
  label: `Calls ${from} → ${to}`,
});

describe('ServiceMap', () => {
  it('lays 32 services out left to right, callers before callees, each box and arrow a link', () => {
    // A chain s0 → s1 → … → s30 and a peer called by s30.
    const nodes = [...Array.from({ length: 31 }, (_, i) => node(`s${i}`)), node('postgresql (uninstrumented)', true)];
    const edges = [...Array.from({ length: 30 }, (_, i) => edge(`s${i}`, `s${i + 1}`, i === 3)), edge('s30', 'postgresql (uninstrumented)')];
    const { container } = render(<ServiceMap nodes={nodes} edges={edges} title="Service map of 32 nodes" />);
    const boxes = [...container.querySelectorAll('a[data-map-node]')];
    expect(boxes).toHaveLength(32);
    expect(container.querySelectorAll('a[data-map-edge]')).toHaveLength(31);
    const xOf = (id: string) => Number(container.querySelector(`a[data-map-node="${id}"] rect`)?.getAttribute('x'));
    for (let i = 0; i < 30; i++) expect(xOf(`s${i}`)).toBeLessThan(xOf(`s${i + 1}`));
    // The peer is dashed, the services are not; the failing arrow is red.
    expect(container.querySelector('a[data-peer="true"] rect')?.getAttribute('stroke-dasharray')).toBe('5 4');
    expect(container.querySelector('a[data-map-node="s0"] rect')?.getAttribute('stroke-dasharray')).toBeNull();
    expect(container.querySelector('a[data-map-edge="s3→s4"] path')?.getAttribute('class')).toContain('stroke-red-600');
    expect(container.querySelector('a[data-map-node="s5"]')?.getAttribute('href')).toBe('/?service=s5');
  });

  it('zooms by scaling the drawing, its viewBox unchanged', () => {
    const { container, getByLabelText } = render(<ServiceMap nodes={[node('a'), node('b')]} edges={[edge('a', 'b')]} title="map" />);
    const svg = container.querySelector('svg[role="img"]') as SVGSVGElement;
    const width = Number(svg.getAttribute('width'));
    const viewBox = svg.getAttribute('viewBox');
    fireEvent.click(getByLabelText('Zoom in'));
    expect(Number(svg.getAttribute('width'))).toBeCloseTo(width * 1.25, 6);
    expect(svg.getAttribute('viewBox')).toBe(viewBox);
  });
});
