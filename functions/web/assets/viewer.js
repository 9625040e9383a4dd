// The slide pane of /Image/Details: OpenSeadragon on our DeepZoom tiles, the scale bar, TMA cores and the
// drawing tools of AnnoPoints and AnnoShapes questions. Answers are kept as the annotation model's JSON in the
// hidden field of each question (functions/web/scoring-sheet.ts); sheet.js saves them.
(() => {
  const data = JSON.parse(document.getElementById('viewer-data').textContent);
  const SVG = 'http://www.w3.org/2000/svg';
  const timings = { start: performance.now() };
  window.slideScoreTimings = timings;

  const viewer = OpenSeadragon({
    element: document.getElementById('osd'),
    prefixUrl: '/viewer/assets/osd-',
    tileSources: {
      Image: {
        xmlns: 'http://schemas.microsoft.com/deepzoom/2008',
        Url: data.tiles.filesUrl,
        Format: 'jpeg',
        Overlap: '0',
        TileSize: String(data.tiles.tileSize),
        Size: { Width: String(data.tiles.width), Height: String(data.tiles.height) },
      },
    },
    degrees: data.rotation || 0,
    showNavigator: true,
    navigatorPosition: 'BOTTOM_RIGHT',
    showRotationControl: false,
    maxZoomPixelRatio: 2,
    visibilityRatio: 0.5,
    gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true },
  });
  window.slideScoreViewer = viewer;

  viewer.addHandler('open', () => {
    const item = viewer.world.getItemAt(0);
    item.addHandler('fully-loaded-change', (event) => {
      if (event.fullyLoaded && timings.fullyLoaded === undefined) {
        timings.fullyLoaded = performance.now();
        document.body.dataset.tilesLoaded = 'true';
      }
    });
    if (data.focus) {
      const d = data.focus.diameter * 1.3;
      const rect = viewer.viewport.imageToViewportRectangle(data.focus.x - d / 2, data.focus.y - d / 2, d, d);
      viewer.viewport.fitBounds(rect, true);
    }
    redraw();
  });

  // Scale bar: a round length (1, 2 or 5 × 10^k µm) about 120 screen pixels long.
  const scalebar = document.getElementById('scalebar');
  function updateScaleBar() {
    if (!data.mpp || !viewer.world.getItemAt(0)) return;
    const zoom = viewer.viewport.viewportToImageZoom(viewer.viewport.getZoom(true));
    const umPerPixel = data.mpp / zoom;
    const target = 120 * umPerPixel;
    const power = 10 ** Math.floor(Math.log10(target));
    const step = [5, 2, 1].find((m) => m * power <= target) * power;
    scalebar.hidden = false;
    scalebar.querySelector('.bar').style.width = `${Math.round(step / umPerPixel)}px`;
    scalebar.querySelector('span').textContent = step >= 1000 ? `${step / 1000} mm` : `${step} µm`;
  }

  // The drawing layer: an SVG over the canvas, redrawn from image coordinates whenever the view changes.
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'drawing');
  viewer.canvas.appendChild(svg);

  /** questionId → { question, items: [{ draws, json }] } */
  const layers = new Map();
  for (const question of data.annotations) layers.set(question.id, { question, items: question.shapes.slice() });
  let active; // { questionId, tool }
  let draft; // points of a polygon in progress, or a rectangle's corners

  const toScreen = (x, y) => viewer.viewport.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y));
  const toImage = (position) => viewer.viewport.viewerElementToImageCoordinates(position);
  const round = (v) => Math.round(v * 10) / 10;

  function element(name, attributes) {
    const node = document.createElementNS(SVG, name);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
    svg.appendChild(node);
    return node;
  }

  function drawShape(draw, colour) {
    const style = { stroke: colour, 'stroke-width': 2, fill: 'none' };
    if (draw.kind === 'point') {
      const p = toScreen(draw.x, draw.y);
      element('circle', { cx: p.x, cy: p.y, r: 5, fill: colour, stroke: '#fff', 'stroke-width': 1.5 });
    } else if (draw.kind === 'rect') {
      const corners = [
        [draw.x, draw.y],
        [draw.x + draw.width, draw.y],
        [draw.x + draw.width, draw.y + draw.height],
        [draw.x, draw.y + draw.height],
      ];
      element('polygon', { ...style, points: corners.map(([x, y]) => screenPair(x, y)).join(' ') });
    } else if (draw.kind === 'ellipse') {
      const c = toScreen(draw.cx, draw.cy);
      const e = toScreen(draw.cx + draw.rx, draw.cy + draw.ry);
      element('ellipse', { ...style, cx: c.x, cy: c.y, rx: Math.abs(e.x - c.x), ry: Math.abs(e.y - c.y) });
    } else {
      const points = draw.points.map(([x, y]) => screenPair(x, y)).join(' ');
      element(draw.closed ? 'polygon' : 'polyline', { ...style, points });
    }
  }

  function screenPair(x, y) {
    const p = toScreen(x, y);
    return `${p.x},${p.y}`;
  }

  function redraw() {
    updateScaleBar();
    svg.replaceChildren();
    if (!viewer.world.getItemAt(0)) return;
    for (const core of data.cores) {
      const c = toScreen(core.x, core.y);
      const edge = toScreen(core.x + core.diameter / 2, core.y);
      const current = data.core && data.core.row === core.row && data.core.col === core.col;
      element('circle', { cx: c.x, cy: c.y, r: Math.abs(edge.x - c.x), class: current ? 'core current' : 'core' });
    }
    for (const { question, items } of layers.values()) {
      for (const item of items) for (const draw of item.draws) drawShape(draw, question.colour);
    }
    if (active && draft?.length) {
      const colour = layers.get(active.questionId).question.colour;
      if (active.tool === 'rect' && draft.length === 2) {
        const [a, b] = draft;
        drawShape(
          {
            kind: 'rect',
            x: Math.min(a.x, b.x),
            y: Math.min(a.y, b.y),
            width: Math.abs(a.x - b.x),
            height: Math.abs(a.y - b.y),
          },
          colour,
        );
      } else if (active.tool === 'polygon') {
        drawShape({ kind: 'polygon', points: draft.map((p) => [p.x, p.y]), closed: false }, colour);
        for (const p of draft) drawShape({ kind: 'point', x: p.x, y: p.y }, colour);
      }
    }
  }
  for (const name of ['animation', 'update-viewport', 'resize', 'rotate']) viewer.addHandler(name, redraw);

  // The hidden field of each annotation question holds its answer: the JSON of its items.
  function store(questionId) {
    const { question, items } = layers.get(questionId);
    const box = document.querySelector(`.anno[data-name="q${questionId}"]`);
    if (!box) return;
    const input = box.querySelector('input[type=hidden]');
    input.value = items.length ? JSON.stringify(items.map((i) => i.json)) : '[]';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    showCount(question, items, box);
    redraw();
  }

  function showCount(question, items, box) {
    const n = items.length;
    const noun = question.type === 'AnnoPoints' ? (n === 1 ? 'point' : 'points') : n === 1 ? 'shape' : 'shapes';
    box.querySelector('.anno-count').textContent = `${n} ${noun}`;
  }

  function add(questionId, draw, json) {
    layers.get(questionId).items.push({ draws: [draw], json });
    store(questionId);
  }

  function finishPolygon() {
    if (active?.tool !== 'polygon' || !draft) return;
    const points = draft;
    draft = undefined;
    if (points.length >= 3) {
      add(
        active.questionId,
        { kind: 'polygon', points: points.map((p) => [p.x, p.y]), closed: true },
        { type: 'polygon', points: points.map((p) => ({ x: p.x, y: p.y })), modifiedOn: new Date().toISOString() },
      );
    } else redraw();
  }

  function setTool(questionId, tool) {
    finishPolygon();
    draft = undefined;
    const same = active && active.questionId === questionId && active.tool === tool;
    active = same ? undefined : { questionId, tool };
    for (const button of document.querySelectorAll('.anno .tool')) {
      const box = button.closest('.anno');
      const on = active && box.dataset.name === `q${active.questionId}` && button.dataset.tool === active.tool;
      button.classList.toggle('active', Boolean(on));
      button.setAttribute('aria-pressed', on ? 'true' : 'false');
    }
    document.getElementById('osd').classList.toggle('drawing-mode', Boolean(active));
    redraw();
  }

  viewer.addHandler('canvas-click', (event) => {
    if (!active || !event.quick) return;
    event.preventDefaultAction = true;
    const p = toImage(event.position);
    const point = { x: round(p.x), y: round(p.y) };
    if (active.tool === 'point') {
      add(active.questionId, { kind: 'point', x: point.x, y: point.y }, { x: point.x, y: point.y });
    } else if (active.tool === 'polygon') {
      draft = draft || [];
      const first = draft[0];
      if (first && draft.length >= 3) {
        const a = toScreen(first.x, first.y);
        if (Math.hypot(a.x - event.position.x, a.y - event.position.y) < 8) return finishPolygon();
      }
      draft.push(point);
      redraw();
    }
  });
  viewer.addHandler('canvas-double-click', (event) => {
    if (!active) return;
    event.preventDefaultAction = true;
    if (active.tool === 'polygon') {
      if (draft && draft.length > 3) draft.pop(); // the double click's second click added a vertex
      finishPolygon();
    }
  });
  viewer.addHandler('canvas-press', (event) => {
    if (active?.tool !== 'rect') return;
    const p = toImage(event.position);
    draft = [p, p];
  });
  viewer.addHandler('canvas-drag', (event) => {
    if (!active || active.tool === 'point') return;
    event.preventDefaultAction = true;
    if (active.tool === 'rect' && draft) {
      draft[1] = toImage(event.position);
      redraw();
    }
  });
  viewer.addHandler('canvas-release', (event) => {
    if (active?.tool !== 'rect' || !draft) return;
    const [a, b] = [draft[0], toImage(event.position)];
    draft = undefined;
    const x = round(Math.min(a.x, b.x));
    const y = round(Math.min(a.y, b.y));
    const width = round(Math.abs(a.x - b.x));
    const height = round(Math.abs(a.y - b.y));
    if (width < 1 || height < 1) return redraw();
    add(
      active.questionId,
      { kind: 'rect', x, y, width, height },
      { type: 'rect', corner: { x, y }, size: { x: width, y: height }, modifiedOn: new Date().toISOString() },
    );
  });
  document.addEventListener('keydown', (event) => {
    if (!active) return;
    if (event.key === 'Enter') finishPolygon();
    if (event.key === 'Escape') {
      draft = undefined;
      setTool(active.questionId, active.tool);
    }
  });

  for (const box of document.querySelectorAll('.anno')) {
    const questionId = Number(box.dataset.name.slice(1));
    const layer = layers.get(questionId);
    if (!layer) continue;
    showCount(layer.question, layer.items, box);
    for (const button of box.querySelectorAll('.tool')) {
      button.addEventListener('click', () => setTool(questionId, button.dataset.tool));
    }
    box.querySelector('.undo')?.addEventListener('click', () => {
      layer.items.pop();
      store(questionId);
    });
    box.querySelector('.clear')?.addEventListener('click', () => {
      layer.items.length = 0;
      store(questionId);
    });
  }

  // After a save, sheet.js tells us; nothing to redraw, the items are already shown.
  window.slideScoreLayers = layers;
})();
