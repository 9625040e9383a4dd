// The reviewing session of /Image/Details (docs/viewer.md, "Reviewing sessions"): every few seconds, while the
// page is visible, one sample of the viewport and the cursor in level-0 pixels; the samples go to the server in
// small batches with navigator.sendBeacon, the last one when the page is left (which also closes the session).
(() => {
  const data = JSON.parse(document.getElementById('viewer-data').textContent);
  const viewer = window.slideScoreViewer;
  if (!data.session || !viewer || !navigator.sendBeacon) return;
  const BATCH = 3;
  const MAX = 1000;
  let pending = [];
  let taken = 0;
  let cursor = { x: -1, y: -1 };

  const element = document.getElementById('osd');
  element.addEventListener('mousemove', (event) => {
    const box = element.getBoundingClientRect();
    const point = new OpenSeadragon.Point(event.clientX - box.left, event.clientY - box.top);
    if (!viewer.world.getItemAt(0)) return;
    const image = viewer.viewport.viewerElementToImageCoordinates(point);
    cursor = { x: image.x, y: image.y };
  });

  function sample() {
    if (taken >= MAX || !viewer.world.getItemAt(0)) return;
    const rect = viewer.viewport.viewportToImageRectangle(viewer.viewport.getBounds(true));
    pending.push([Date.now(), rect.x, rect.y, rect.width, rect.height, cursor.x, cursor.y].map(Math.round));
    taken++;
  }

  function send(closed) {
    if (pending.length === 0 && !closed) return;
    const body = new URLSearchParams({
      studyId: String(data.studyId),
      sessionId: String(data.session.id),
      events: JSON.stringify(pending),
    });
    if (closed) body.set('closed', '1');
    pending = [];
    navigator.sendBeacon('/Image/SessionBeacon', body);
  }

  setInterval(() => {
    if (document.visibilityState !== 'visible') return;
    sample();
    if (pending.length >= BATCH) send(false);
  }, data.session.sampleMs);

  let closed = false;
  window.addEventListener('pagehide', () => {
    if (closed) return;
    closed = true;
    sample();
    send(true);
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') send(false);
  });
  window.slideScoreSession = { flush: () => send(false), sample };
})();
