'use client';

import dagre from '@dagrejs/dagre';
import { useMemo, useState } from 'react';

/** A box on the map: a service (or an operation), or an uninstrumented peer (drawn dashed). */
export interface MapNode {
  readonly id: string;
  readonly title: string;
  /** A second line above the numbers, e.g. the operation's service. */
  readonly subtitle?: string | undefined;
  /** Small lines of numbers under the title. */
  readonly lines: readonly string[];
  readonly peer: boolean;
  /** The focused service: drawn stronger. */
  readonly focus?: boolean | undefined;
  readonly href: string;
  readonly label: string;
}

/** An arrow caller → callee with its numbers. */
export interface MapEdge {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly lines: readonly string[];
  readonly failing: boolean;
  readonly href: string;
  readonly label: string;
}

const CHAR_PX = 7;
const LINE_PX = 14;
const NODE_PAD = 12;
const TITLE_MAX = 40;
const clip = (text: string, max = TITLE_MAX) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const textWidth = (lines: readonly string[]) => Math.max(...lines.map((line) => clip(line).length)) * CHAR_PX;

interface Laid {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly (MapNode & { x: number; y: number; w: number; h: number })[];
  readonly edges: readonly (MapEdge & { points: readonly { x: number; y: number }[]; labelX: number; labelY: number })[];
}

/** Layered layout, callers left of callees (dagre, rankdir LR), sized from the text each box holds. */
function layOut(nodes: readonly MapNode[], edges: readonly MapEdge[]): Laid {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: 'LR', nodesep: 28, ranksep: 120, edgesep: 16, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) {
    const text = [node.title, ...(node.subtitle ? [node.subtitle] : []), ...node.lines];
    graph.setNode(node.id, { width: textWidth(text) + 2 * NODE_PAD, height: text.length * LINE_PX + 2 * NODE_PAD - 4 });
  }
  const drawn = edges.filter((edge) => edge.from !== edge.to && graph.hasNode(edge.from) && graph.hasNode(edge.to));
  for (const edge of drawn) {
    graph.setEdge(edge.from, edge.to, { width: textWidth(edge.lines) + 8, height: edge.lines.length * 12 + 4, labelpos: 'c' }, edge.id);
  }
  dagre.layout(graph);
  const size = graph.graph();
  return {
    width: Math.ceil(size.width ?? 0),
    height: Math.ceil(size.height ?? 0),
    nodes: nodes.map((node) => {
      const laid = graph.node(node.id);
      return { ...node, x: laid.x, y: laid.y, w: laid.width, h: laid.height };
    }),
    edges: drawn.map((edge) => {
      const laid = graph.edge(edge.from, edge.to, edge.id) as { points: { x: number; y: number }[]; x: number; y: number };
      return { ...edge, points: laid.points, labelX: laid.x, labelY: laid.y };
    }),
  };
}

const pathOf = (points: readonly { x: number; y: number }[]) =>
  points.map((point, i) => `${i === 0 ? 'M' : 'L'}${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' ');

/**
 * The service map as SVG: boxes for nodes (peers dashed), arrows caller → callee with their numbers.
 * Every box and arrow is a link. Large maps scroll in their frame; zoom scales the drawing.
 */
export function ServiceMap({ nodes, edges, title }: { nodes: readonly MapNode[]; edges: readonly MapEdge[]; title: string }) {
  const laid = useMemo(() => layOut(nodes, edges), [nodes, edges]);
  const [zoom, setZoom] = useState(1);
  const button = 'rounded px-2 py-0.5 text-sm ring-1 ring-slate-300 hover:bg-slate-100 dark:ring-slate-700 dark:hover:bg-slate-800';
  return (
    <figure className="space-y-1">
      <div className="flex items-center gap-2 text-xs text-slate-500">
        <button type="button" className={button} onClick={() => setZoom((z) => Math.max(0.25, z / 1.25))} aria-label="Zoom out">
          −
        </button>
        <button type="button" className={button} onClick={() => setZoom(1)} aria-label="Actual size">
          {Math.round(zoom * 100)}%
        </button>
        <button type="button" className={button} onClick={() => setZoom((z) => Math.min(4, z * 1.25))} aria-label="Zoom in">
          +
        </button>
        <span>
          {nodes.length} nodes, {laid.edges.length} edges · dashed boxes are uninstrumented peers named by their callers&apos; spans
        </span>
      </div>
      <div className="max-h-[75vh] overflow-auto rounded-lg ring-1 ring-slate-200 dark:ring-slate-800">
        <svg
          role="img"
          aria-label={title}
          viewBox={`0 0 ${laid.width} ${laid.height}`}
          width={laid.width * zoom}
          height={laid.height * zoom}
          className="block font-sans"
        >
          <defs>
            <marker id="map-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="fill-slate-500" />
            </marker>
            <marker id="map-arrow-failing" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" className="fill-red-600" />
            </marker>
          </defs>
          {laid.edges.map((edge) => (
            <a key={edge.id} href={edge.href} aria-label={edge.label} data-map-edge={edge.id} className="group">
              <title>{edge.label}</title>
              <path
                d={pathOf(edge.points)}
                fill="none"
                strokeWidth={1.5}
                className={edge.failing ? 'stroke-red-600' : 'stroke-slate-500 group-hover:stroke-sky-600'}
                markerEnd={`url(#${edge.failing ? 'map-arrow-failing' : 'map-arrow'})`}
              />
              {edge.lines.map((line, i) => (
                <text
                  key={i}
                  x={edge.labelX}
                  y={edge.labelY + (i - (edge.lines.length - 1) / 2) * 12 + 4}
                  textAnchor="middle"
                  fontSize={10}
                  className="fill-slate-700 dark:fill-slate-300"
                  paintOrder="stroke"
                  stroke="white"
                  strokeWidth={3}
                >
                  {line}
                </text>
              ))}
            </a>
          ))}
          {laid.nodes.map((node) => {
            const text = [...(node.subtitle ? [node.subtitle] : []), node.title, ...node.lines];
            const top = node.y - node.h / 2;
            return (
              <a key={node.id} href={node.href} aria-label={node.label} data-map-node={node.id} data-peer={node.peer ? 'true' : undefined}>
                <title>{node.label}</title>
                <rect
                  x={node.x - node.w / 2}
                  y={top}
                  width={node.w}
                  height={node.h}
                  rx={6}
                  strokeWidth={node.focus ? 2.5 : 1.2}
                  strokeDasharray={node.peer ? '5 4' : undefined}
                  className={
                    node.peer
                      ? 'fill-amber-50 stroke-amber-600 dark:fill-amber-950'
                      : 'fill-white stroke-sky-700 hover:fill-sky-50 dark:fill-slate-900 dark:stroke-sky-400'
                  }
                />
                {text.map((line, i) => (
                  <text
                    key={i}
                    x={node.x}
                    y={top + NODE_PAD + 6 + i * LINE_PX}
                    textAnchor="middle"
                    fontSize={line === node.title ? 12 : 10}
                    fontWeight={line === node.title ? 600 : 400}
                    className="fill-slate-800 dark:fill-slate-100"
                  >
                    {clip(line)}
                  </text>
                ))}
              </a>
            );
          })}
        </svg>
      </div>
    </figure>
  );
}
