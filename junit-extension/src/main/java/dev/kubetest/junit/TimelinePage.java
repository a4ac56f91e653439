package dev.kubetest.junit;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A failed test's timeline as one self-contained HTML file (no external scripts, fonts or styles): the page's own
 * script draws, from the JSON of {@link Timeline} embedded in it, one row per pod with its phase and readiness as
 * bands over cluster time and its container starts, restarts, exits and probe failures as marks; clicking a mark
 * shows the pod's YAML at that moment. The events follow in a table.
 */
final class TimelinePage {
    private TimelinePage() {}

    static String render(ObjectNode timeline) {
        String json = timeline.toString().replace("</", "<\\/").replace("<!--", "<\\!--");
        String title = escape("KubeTest timeline: " + timeline.path("test").asText());
        return TEMPLATE.replace("@TITLE@", title).replace("@DATA@", json);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String TEMPLATE = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>@TITLE@</title>
            <style>
            body { font: 13px/1.4 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 16px; color: #222; }
            h1 { font-size: 17px; margin: 0 0 4px; }
            .meta { color: #666; margin-bottom: 12px; }
            svg { border: 1px solid #ddd; background: #fcfcfc; }
            .pod-label { font: 12px monospace; fill: #222; }
            .axis { stroke: #999; } .tick { font-size: 10px; fill: #666; } .grid { stroke: #eee; }
            .band { stroke: #fff; stroke-width: 1; }
            .mark { cursor: pointer; } .mark:hover * { stroke: #000; stroke-width: 2; }
            .legend span { display: inline-block; margin-right: 14px; }
            .swatch { display: inline-block; width: 12px; height: 12px; vertical-align: middle; margin-right: 4px; }
            table { border-collapse: collapse; margin-top: 14px; width: 100%; }
            td, th { border-bottom: 1px solid #eee; padding: 3px 8px; text-align: left; vertical-align: top; font-size: 12px; }
            tr.Warning td { color: #a94442; }
            pre#yaml { background: #f6f8fa; border: 1px solid #ddd; padding: 10px; max-height: 420px; overflow: auto; font-size: 12px; }
            </style>
            </head>
            <body>
            <h1 id="title"></h1>
            <div class="meta" id="meta"></div>
            <div class="legend" id="legend"></div>
            <svg id="timeline" xmlns="http://www.w3.org/2000/svg"></svg>
            <p id="hint">Click a mark to see the pod as it was at that moment.</p>
            <pre id="yaml" hidden></pre>
            <table id="events"><thead><tr><th>time</th><th>type</th><th>reason</th><th>object</th><th>message</th></tr></thead><tbody></tbody></table>
            <script type="application/json" id="timeline-data">@DATA@</script>
            <script>
            (function () {
              var data = JSON.parse(document.getElementById('timeline-data').textContent);
              var NS = 'http://www.w3.org/2000/svg';
              var COLORS = { 'Pending': '#f0ad4e', 'Running': '#5bc0de', 'Running+ready': '#2e8b57', 'Succeeded': '#9e9e9e',
                             'Failed': '#d9534f', 'Unknown': '#777777' };
              var MARKS = { start: '#1f6feb', restart: '#e36209', exit: '#b31d28', probe: '#8250df', deleted: '#333333' };
              function el(name, attrs, parent) {
                var e = document.createElementNS(NS, name);
                for (var k in attrs) { e.setAttribute(k, attrs[k]); }
                if (parent) { parent.appendChild(e); }
                return e;
              }
              function seconds(ms) { return ms >= 60000 ? Math.floor(ms / 60000) + 'm' + (Math.round(ms / 1000) % 60) + 's'
                                                       : (ms >= 10000 ? Math.round(ms / 1000) : (ms / 1000).toFixed(1)) + 's'; }
              document.getElementById('title').textContent = data.test;
              document.getElementById('meta').textContent = 'namespace ' + data.namespace + ' \\u00b7 cluster time from '
                  + data.start + ' for ' + seconds(data.durationMs);
              var legend = document.getElementById('legend');
              Object.keys(COLORS).forEach(function (k) {
                var s = document.createElement('span');
                s.innerHTML = '<i class="swatch" style="background:' + COLORS[k] + '"></i>' + k.replace('+', ', ');
                legend.appendChild(s);
              });
              Object.keys(MARKS).forEach(function (k) {
                var s = document.createElement('span');
                s.innerHTML = '<i class="swatch" style="background:' + MARKS[k] + ';border-radius:6px"></i>' + k;
                legend.appendChild(s);
              });
              var W = 1100, LEFT = 200, RIGHT = 20, TOP = 28, ROW = 34;
              var span = Math.max(1, data.durationMs);
              var svg = document.getElementById('timeline');
              var height = TOP + ROW * Math.max(1, data.pods.length) + 10;
              svg.setAttribute('width', W); svg.setAttribute('height', height);
              svg.setAttribute('viewBox', '0 0 ' + W + ' ' + height);
              function x(t) { return LEFT + (W - LEFT - RIGHT) * Math.min(t, span) / span; }
              var steps = [100, 250, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 1800000, 3600000];
              var step = steps.filter(function (s) { return span / s <= 10; })[0] || 3600000;
              el('line', { x1: LEFT, x2: W - RIGHT, y1: TOP - 6, y2: TOP - 6, 'class': 'axis' }, svg);
              for (var t = 0; t <= span; t += step) {
                el('line', { x1: x(t), x2: x(t), y1: TOP - 9, y2: height - 4, 'class': 'grid' }, svg);
                var label = el('text', { x: x(t), y: TOP - 12, 'class': 'tick', 'text-anchor': 'middle' }, svg);
                label.textContent = '+' + seconds(t);
              }
              var yamlBox = document.getElementById('yaml');
              data.pods.forEach(function (pod, i) {
                var y = TOP + i * ROW;
                var row = el('g', { 'class': 'pod-row', 'data-pod': pod.name }, svg);
                var name = el('text', { x: 6, y: y + 19, 'class': 'pod-label' }, row);
                name.textContent = pod.name;
                pod.bands.forEach(function (b) {
                  var phase = b.phase.split('/')[0];
                  var key = phase === 'Running' && b.ready ? 'Running+ready' : phase;
                  var r = el('rect', { x: x(b.from), y: y + 6, width: Math.max(1.5, x(b.to) - x(b.from)), height: ROW - 12,
                                       fill: COLORS[key] || '#ccc', 'class': 'band', 'data-phase': b.phase,
                                       'data-ready': String(b.ready), opacity: b.phase.indexOf('Terminating') >= 0 ? 0.45 : 1 }, row);
                  el('title', {}, r).textContent = b.phase + (b.ready ? ', ready' : ', not ready') + ' from +' + seconds(b.from)
                      + ' to +' + seconds(b.to);
                });
                pod.marks.forEach(function (m) {
                  var g = el('g', { 'class': 'mark', 'data-kind': m.kind, 'data-container': m.container,
                                    'data-snapshot': String(m.snapshot) }, row);
                  var cx = x(m.at), cy = y + ROW / 2;
                  if (m.kind === 'probe') {
                    el('path', { d: 'M' + (cx - 5) + ' ' + (cy + 5) + ' L' + cx + ' ' + (cy - 6) + ' L' + (cx + 5) + ' ' + (cy + 5) + ' Z',
                                 fill: MARKS.probe }, g);
                  } else if (m.kind === 'exit' || m.kind === 'deleted') {
                    el('rect', { x: cx - 4, y: cy - 4, width: 8, height: 8, fill: MARKS[m.kind] }, g);
                  } else {
                    el('circle', { cx: cx, cy: cy, r: m.kind === 'restart' ? 6 : 4, fill: MARKS[m.kind] }, g);
                  }
                  el('title', {}, g).textContent = '+' + seconds(m.at) + ' ' + m.detail;
                  g.addEventListener('click', function () {
                    var s = data.snapshots[m.snapshot];
                    yamlBox.hidden = false;
                    yamlBox.textContent = '# ' + pod.name + ' at +' + seconds(m.at) + ': ' + m.detail + '\\n'
                        + (s ? s.yaml : '(no snapshot)');
                  });
                });
              });
              var body = document.querySelector('#events tbody');
              data.events.forEach(function (e) {
                var tr = document.createElement('tr');
                tr.className = 'event ' + e.type;
                tr.setAttribute('data-reason', e.reason);
                [ '+' + seconds(e.at), e.type, e.reason + (e.count > 1 ? ' (x' + e.count + ')' : ''), e.object, e.message ]
                    .forEach(function (v) { var td = document.createElement('td'); td.textContent = v; tr.appendChild(td); });
                body.appendChild(tr);
              });
              document.body.setAttribute('data-drawn', 'true');
            })();
            </script>
            </body>
            </html>
            """;
}
