import * as Plot from '@observablehq/plot';
import { parseHTML } from 'linkedom';

/**
 * The reports' charts: Observable Plot rendering to SVG on the server, with linkedom as the DOM, so
 * a chart is markup in the page (no script, prints as vector). Colours are the design tokens: Plot
 * writes them as fill attributes, which do not resolve var(), so they are moved into style="…".
 * Each chart is bounded (at most MAX_BARS bars) and carries its text alternative; the page shows
 * the same numbers in a table beside it.
 */
export const MAX_BARS = 12;
const WIDTH = 640;

function newDocument() {
  return parseHTML('<!doctype html><html><head></head><body></body></html>').document;
}

/**
 * fill="var(--x)" → style="fill: var(--x)" (same for stroke), and the svg announced as one image with
 * the text alternative; Plot's own aria-labels on inner groups go (they are not allowed on a <g> without a role).
 */
function finish(svg: string, alt: string): string {
  return svg
    .replace(/ aria-(label|description)="[^"]*"/g, '')
    .replace(/ (fill|stroke)="(var\(--[a-z0-9-]+\))"/g, ' style="$1: $2"')
    .replace(/^<svg /, `<svg role="img" aria-label="${escapeAttr(alt)}" `)
    .replace(/--plot-background: white;/, '--plot-background: var(--color-surface);');
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

const clip = (s: string, n = 28) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

interface Frame {
  height: number;
  marginRight: number;
  xLabel: string;
  /** The bars' labels, top to bottom. */
  labels: string[];
  alt: string;
}

/** The frame every chart here shares (horizontal bars, labels on the left, the page's type and colours), around the chart's own marks. */
function render(f: Frame, chart: Pick<Plot.PlotOptions, 'color' | 'marks'>): string {
  const svg = Plot.plot({
    document: newDocument(),
    width: WIDTH,
    height: f.height,
    marginLeft: 190,
    marginRight: f.marginRight,
    style: { fontSize: '13px', fontFamily: 'var(--font-sans)', color: 'var(--color-text)', background: 'transparent' },
    x: { label: f.xLabel, grid: true, nice: true },
    y: { label: null, domain: f.labels },
    ...chart,
  }) as unknown as { outerHTML: string };
  return finish(svg.outerHTML, f.alt);
}

export interface Bar {
  label: string;
  value: number;
}

/** Horizontal bars, one per label, each with its value written at its end. */
export function barChart(bars: readonly Bar[], opts: { alt: string; xLabel: string; format?: (n: number) => string }): string {
  const data = bars.slice(0, MAX_BARS).map((b) => ({ ...b, label: clip(b.label) }));
  const fmt = opts.format ?? ((n: number) => n.toLocaleString('en-US'));
  return render(
    { height: 40 + data.length * 34, marginRight: 70, xLabel: opts.xLabel, labels: data.map((d) => d.label), alt: opts.alt },
    {
      marks: [
        Plot.barX(data, { x: 'value', y: 'label', fill: 'var(--color-brand)' }),
        Plot.text(data, { x: 'value', y: 'label', text: (d: Bar) => fmt(d.value), textAnchor: 'start', dx: 6, fill: 'var(--color-text)' }),
        Plot.ruleX([0]),
      ],
    },
  );
}

export interface StackedBar {
  label: string;
  part: string;
  value: number;
}

/** Horizontal stacked bars (parts in `parts` order, coloured by the tokens in `colors`), with a legend. */
export function stackedChart(data: readonly StackedBar[], opts: { alt: string; xLabel: string; parts: readonly string[]; colors: readonly string[] }): string {
  const labels = [...new Set(data.map((d) => d.label))].slice(0, MAX_BARS);
  const rows = data.filter((d) => labels.includes(d.label)).map((d) => ({ ...d, label: clip(d.label) }));
  return render(
    { height: 60 + labels.length * 34, marginRight: 30, xLabel: opts.xLabel, labels: labels.map((l) => clip(l)), alt: opts.alt },
    {
      color: { domain: [...opts.parts], range: [...opts.colors], legend: false },
      marks: [Plot.barX(rows, Plot.stackX({ x: 'value', y: 'label', fill: 'part', order: [...opts.parts] })), Plot.ruleX([0])],
    },
  );
}
