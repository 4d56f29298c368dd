declare module 'parse-prometheus-text-format' {
  /** One metric family of the Prometheus text format, as prom2json gives it (values are strings). */
  interface MetricFamily {
    name: string;
    help: string;
    type: string;
    metrics: { labels?: Record<string, string>; value?: string }[];
  }
  export default function parsePrometheusTextFormat(text: string): MetricFamily[];
}
