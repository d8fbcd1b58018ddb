// rekg graph page. Every string from the graph is data: it is shown with textContent (or given to
// vis-network and tom-select as a DOM element built with textContent), never parsed as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('graph-data').textContent);
  var byId = new Map(data.nodes.map(function (n) { return [n.id, n]; }));
  var edgeById = new Map(data.edges.map(function (e) { return [e.id, e]; }));
  var docs = data.documents || {};
  var big = data.layout === 'fixed';
  var SVG = 'http://www.w3.org/2000/svg';

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function tip(lines) {
    return el('div', lines.filter(function (l) { return l; }).join('\n'), 'rekg-tip');
  }
  function nameOf(id) { var n = byId.get(id); return n ? n.name : id; }
  function humanize(type) { return type.toLowerCase().replace(/_/g, ' '); }
  function plural(n, one, many) { return n.toLocaleString('en') + ' ' + (n === 1 ? one : many); }
  function clip(s, max) { return s.length > max ? s.slice(0, max - 1) + '…' : s; }

  // -- network ---------------------------------------------------------------------------------
  var hiddenEntity = new Set();
  var hiddenRelation = new Set(data.relationTypes.filter(function (t) { return t.hidden; })
                                                 .map(function (t) { return t.name; }));
  var visNodes = data.nodes.map(function (n) {
    var typeLine = n.type + (n.kind ? ' · ' + n.kind : '') + (n.country ? ' · ' + n.country : '');
    var v = {id: n.id, label: n.label, shape: n.shape, size: n.size, group: n.type,
             color: {background: n.color, border: '#ffffff',
                     highlight: {background: n.color, border: '#111111'},
                     hover: {background: n.color, border: '#111111'}},
             title: tip([n.name, typeLine, plural(n.degree, 'relation', 'relations') + ' shown'])};
    if (big) { v.x = n.x; v.y = n.y; v.fixed = false; }
    return v;
  });
  var visEdges = data.edges.map(function (e) {
    var first = e.evidence.length ? '“' + clip(e.evidence[0][0], 160) + '”' : '';
    var v = {id: e.id, from: e.from, to: e.to, label: e.label, width: e.width, dashes: e.dashes,
             color: {color: e.color, highlight: e.color, hover: e.color, opacity: e.dashes ? 0.6 : 1},
             arrows: e.dashes ? {to: {enabled: false}} : undefined,
             hidden: hiddenRelation.has(e.type),
             title: tip([nameOf(e.from) + ' → ' + humanize(e.type) + ' → ' + nameOf(e.to),
                         e.relTitle, first])};
    if (e.smooth) v.smooth = e.smooth;
    return v;
  });
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var options = {
    autoResize: true,
    nodes: {borderWidth: 1.5, borderWidthSelected: 3,
            font: {size: 14, color: '#1d2329', strokeWidth: 3, strokeColor: '#ffffff',
                   face: 'system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif'}},
    edges: {arrows: {to: {enabled: true, scaleFactor: 0.55}}, selectionWidth: 2, hoverWidth: 0.5,
            font: {size: 10, color: '#3d4650', strokeWidth: 3, strokeColor: '#ffffff', align: 'middle'},
            smooth: big ? false : {enabled: true, type: 'continuous', roundness: 0.3}},
    physics: big ? false : {
      solver: 'forceAtlas2Based',
      forceAtlas2Based: {gravitationalConstant: -70, centralGravity: 0.01, springLength: 130,
                         springConstant: 0.06, avoidOverlap: 0.4},
      stabilization: {enabled: true, iterations: 800, updateInterval: 50, fit: true}},
    interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: big, hideEdgesOnZoom: big,
                  multiselect: false},
    layout: {improvedLayout: !big && data.nodes.length <= 150, randomSeed: 7}
  };
  var container = document.getElementById('graph');
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  var rekg = {data: data, network: network, nodes: nodes, edges: edges, ready: false};
  window.network = network;
  window.rekg = rekg;

  function ready() {
    if (rekg.ready) return;
    rekg.ready = true;
    rekg.readyAt = performance.now();
    document.body.setAttribute('data-ready', '1');
  }
  if (big || data.nodes.length === 0) {
    network.once('afterDrawing', function () { network.fit(); ready(); });
  } else {
    network.once('stabilizationIterationsDone', function () {
      network.setOptions({physics: false});  // settled: stop moving
      network.fit();
      ready();
    });
  }

  // -- header ----------------------------------------------------------------------------------
  var coCount = data.edges.filter(function (e) { return e.type === 'CO_MENTIONED'; }).length;
  var summary = plural(data.nodes.length, 'actor', 'actors') + ' · ' +
                plural(data.edges.length - coCount, 'stated relation', 'stated relations') +
                (coCount ? ' · ' + plural(coCount, 'co-mention link', 'co-mention links') : '');
  if (data.total.entities !== data.nodes.length) {
    summary += ' (of ' + data.total.entities.toLocaleString('en') + ' actors in the graph)';
  }
  summary += big ? ' · layout computed beforehand, physics off' : '';
  document.getElementById('summary').textContent = summary;
  var om = data.omitted, notes = [];
  if (om.by_type) {
    notes.push(plural(om.by_type, 'actor', 'actors') + ' of other types (' + om.types.join(', ') +
               ') left out');
  }
  if (om.by_degree) {
    notes.push(plural(om.by_degree, 'actor', 'actors') + ' with fewer than ' + om.min_degree +
               ' relations left out');
  }
  if (om.by_limit) {
    notes.push(plural(om.by_limit, 'less central actor', 'less central actors') + ' and ' +
               plural(om.relations, 'relation', 'relations') + ' left out to keep the ' +
               om.max_nodes.toLocaleString('en') + ' most central (' + om.measure + ')');
  }
  if (om.co_mentions) {
    notes.push(plural(om.co_mentions, 'co-mention link', 'co-mention links') +
               ' not drawn (rekg render --co-mentions draws them)');
  }
  if (notes.length) {
    var omitted = document.getElementById('omitted');
    omitted.textContent = 'Not shown: ' + notes.join('; ') + '.';
    omitted.hidden = false;
  }
  document.getElementById('size-hint').textContent =
    data.centrality === 'pagerank' ? 'PageRank' : 'number of relations (degree)';

  // -- legend and filters ----------------------------------------------------------------------
  function swatch(shape, color, dashed) {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', '18'); svg.setAttribute('height', '14');
    svg.setAttribute('viewBox', '0 0 18 14');
    var s;
    if (shape === 'line') {
      s = document.createElementNS(SVG, 'line');
      s.setAttribute('x1', '1'); s.setAttribute('y1', '7'); s.setAttribute('x2', '17'); s.setAttribute('y2', '7');
      s.setAttribute('stroke', color); s.setAttribute('stroke-width', '3');
      if (dashed) s.setAttribute('stroke-dasharray', '3 2');
    } else if (shape === 'dot') {
      s = document.createElementNS(SVG, 'circle');
      s.setAttribute('cx', '9'); s.setAttribute('cy', '7'); s.setAttribute('r', '6');
    } else {
      s = document.createElementNS(SVG, 'polygon');
      s.setAttribute('points', {diamond: '9,0 16,7 9,14 2,7', square: '3,1 15,1 15,13 3,13',
                                triangle: '9,1 16,13 2,13'}[shape] || '3,1 15,1 15,13 3,13');
    }
    if (shape !== 'line') s.setAttribute('fill', color);
    svg.appendChild(s);
    return svg;
  }
  function legendItem(list, kind, t, shape, checked) {
    var li = el('li'), label = el('label'), box = el('input');
    box.type = 'checkbox'; box.checked = checked; box.value = t.name;
    box.setAttribute('data-' + kind, t.name);
    box.addEventListener('change', function () {
      var set = kind === 'entity' ? hiddenEntity : hiddenRelation;
      if (box.checked) set.delete(t.name); else set.add(t.name);
      applyFilters();
    });
    label.appendChild(box);
    label.appendChild(swatch(shape, t.color, t.name === 'CO_MENTIONED'));
    label.appendChild(el('span', kind === 'entity' ? t.name : humanize(t.name)));
    label.appendChild(el('span', t.count.toLocaleString('en'), 'count'));
    if (t.meaning) label.title = t.meaning;
    li.appendChild(label);
    list.appendChild(li);
  }
  var entList = document.getElementById('entity-types');
  data.entityTypes.forEach(function (t) { legendItem(entList, 'entity', t, t.shape, true); });
  var relList = document.getElementById('relation-types');
  data.relationTypes.forEach(function (t) { legendItem(relList, 'relation', t, 'line', !t.hidden); });

  function applyFilters() {
    nodes.update(data.nodes.map(function (n) { return {id: n.id, hidden: hiddenEntity.has(n.type)}; }));
    edges.update(data.edges.map(function (e) {
      return {id: e.id, hidden: hiddenRelation.has(e.type) || hiddenEntity.has(byId.get(e.from).type) ||
                                hiddenEntity.has(byId.get(e.to).type)};
    }));
  }
  function showType(kind, name) {
    var set = kind === 'entity' ? hiddenEntity : hiddenRelation;
    if (!set.has(name)) return;
    set.delete(name);
    var box = document.querySelector('input[data-' + kind + '="' + CSS.escape(name) + '"]');
    if (box) box.checked = true;
    applyFilters();
  }

  // -- details panel ---------------------------------------------------------------------------
  var details = document.getElementById('details');
  var empty = document.getElementById('panel-empty');
  function clearPanel() {
    details.replaceChildren();
    details.hidden = true;
    empty.hidden = false;
  }
  function field(dl, name, value) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(el('dt', name));
    dl.appendChild(el('dd', value));
  }
  function badge(text, color) {
    var b = el('span', text, 'badge');
    b.style.background = color;
    return b;
  }
  function docLine(id) {
    var d = docs[id];
    if (!d) return id;
    return [d.title || id, d.publisher, d.published].filter(function (x) { return x; }).join(' · ');
  }
  function sourceLink(src) {
    if (/^https?:\/\//i.test(src)) {
      var a = el('a', src);
      a.href = src; a.rel = 'noopener noreferrer'; a.target = '_blank';
      return a;
    }
    return el('span', src, 'muted');
  }
  function linkButton(text, onClick) {
    var b = el('button', text);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }
  function open() {
    details.replaceChildren();
    details.hidden = false;
    empty.hidden = true;
  }
  function showNode(id) {
    var n = byId.get(id);
    if (!n) return;
    open();
    details.setAttribute('data-node', id);
    details.removeAttribute('data-edge');
    details.appendChild(badge(n.type, n.color));
    details.appendChild(el('h2', n.name));
    var dl = el('dl');
    field(dl, 'kind', n.kind);
    field(dl, 'country', n.country);
    field(dl, 'Wikidata', n.wikidata);
    field(dl, 'id', n.id);
    details.appendChild(dl);
    details.appendChild(el('h3', 'Also known as'));
    if (n.aliases.length) {
      var ul = el('ul', null, 'aliases');
      n.aliases.forEach(function (a) { ul.appendChild(el('li', a)); });
      details.appendChild(ul);
    } else {
      details.appendChild(el('p', 'no other names recorded', 'muted'));
    }
    var mine = data.edges.filter(function (e) { return e.from === id || e.to === id; });
    details.appendChild(el('h3', 'Relations shown (' + mine.length + ')'));
    var rl = el('ul', null, 'linklist relations');
    mine.forEach(function (e) {
      var li = el('li');
      var out = e.from === id;
      li.appendChild(linkButton((out ? '→ ' : '← ') + humanize(e.type) +
                                (e.relTitle ? ' (' + e.relTitle + ')' : '') + ' ' +
                                (out ? '→ ' : '← ') + nameOf(out ? e.to : e.from),
                                function () { selectEdge(e.id); }));
      rl.appendChild(li);
    });
    details.appendChild(rl);
    if (n.docs.length) {
      details.appendChild(el('h3', 'Named in'));
      var dul = el('ul', null, 'documents');
      n.docs.forEach(function (d) {
        dul.appendChild(el('li', docLine(d[0]) + (d[1] > 1 ? ' (' + d[1] + '×)' : '')));
      });
      details.appendChild(dul);
    }
  }
  function showEdge(id) {
    var e = edgeById.get(id);
    if (!e) return;
    open();
    details.setAttribute('data-edge', id);
    details.removeAttribute('data-node');
    details.appendChild(badge('relation', e.color));
    details.appendChild(el('h2', humanize(e.type) + (e.relTitle ? ': ' + e.relTitle : '')));
    var ends = el('p', null, 'linklist ends');
    ends.appendChild(linkButton(nameOf(e.from), function () { focusNode(e.from); }));
    ends.appendChild(document.createTextNode(' → ' + e.type + ' → '));
    ends.appendChild(linkButton(nameOf(e.to), function () { focusNode(e.to); }));
    details.appendChild(ends);
    if (e.type === 'CO_MENTIONED') {
      details.appendChild(el('p', 'Named in the same sentence: not a stated relation.', 'muted'));
    }
    var dl = el('dl');
    field(dl, 'title', e.relTitle);
    field(dl, 'documents', e.count);
    field(dl, 'first seen', e.firstSeen);
    field(dl, 'last seen', e.lastSeen);
    field(dl, 'confidence', e.confidence);
    field(dl, 'found by', e.rules.join(', '));
    details.appendChild(dl);
    details.appendChild(el('h3', 'Evidence'));
    if (!e.evidence.length) details.appendChild(el('p', 'no sentence recorded', 'muted'));
    e.evidence.forEach(function (pair) {
      var box = el('div', null, 'evidence');
      box.appendChild(el('blockquote', pair[0]));
      if (pair[1]) box.appendChild(el('div', '— ' + docLine(pair[1]), 'from'));
      details.appendChild(box);
    });
    details.appendChild(el('h3', 'Source documents'));
    var ul = el('ul', null, 'sources');
    e.sources.forEach(function (s) {
      var li = el('li', docLine(s));
      var d = docs[s];
      if (d && d.source) { li.appendChild(el('br')); li.appendChild(sourceLink(d.source)); }
      ul.appendChild(li);
    });
    details.appendChild(ul);
  }
  function focusNode(id) {
    var n = byId.get(id);
    if (!n) return;
    showType('entity', n.type);
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1.0), animation: {duration: 300}});
    showNode(id);
  }
  function selectEdge(id) {
    var e = edgeById.get(id);
    if (!e) return;
    showType('relation', e.type);
    network.setSelection({nodes: [], edges: [id]}, {unselectAll: true, highlightEdges: false});
    showEdge(id);
  }
  network.on('click', function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
    else clearPanel();
  });

  // -- search ----------------------------------------------------------------------------------
  var options_ = data.nodes.map(function (n) {
    return {id: n.id, name: n.name, type: n.type, color: n.color, aliases: n.aliases.join(' | ')};
  });
  function optionDom(item) {
    var d = el('div', null, 'option');
    var dot = el('span', '● ');
    dot.style.color = item.color;
    d.appendChild(dot);
    d.appendChild(el('span', item.name));
    d.appendChild(el('span', ' · ' + item.type, 'muted'));
    return d;
  }
  var search = new TomSelect('#search', {
    options: options_, valueField: 'id', labelField: 'name', searchField: ['name', 'aliases'],
    maxOptions: 50, maxItems: 1, create: false, allowEmptyOption: true, closeAfterSelect: true,
    render: {option: optionDom, item: function (item) { return el('div', item.name); },
             no_results: function () { return el('div', 'no actor by that name', 'no-results'); }},
    onChange: function (value) {
      if (!value) return;
      focusNode(value);
      // a find box, not a form field: empty it for the next search (the panel shows the actor)
      setTimeout(function () { search.clear(true); }, 0);
    }
  });
  rekg.search = search;
  rekg.showNode = showNode;
  rekg.showEdge = showEdge;
  rekg.focusNode = focusNode;
  rekg.selectEdge = selectEdge;
  rekg.applyFilters = applyFilters;
  rekg.hidden = {entity: hiddenEntity, relation: hiddenRelation};
}());
