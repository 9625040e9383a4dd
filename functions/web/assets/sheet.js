// The scoring sheet of /Image/Details: keeps composite fields (Checkbox, H-score) in their hidden answer field,
// and saves the answers that changed with one POST to /Image/SaveAnswers.
(() => {
  const form = document.getElementById('sheet');
  if (!form) return;
  const data = JSON.parse(document.getElementById('viewer-data').textContent);
  const status = document.getElementById('status');

  // Checkbox: the ticked options as a JSON list (docs/config-files.md "Answers from the viewer").
  for (const box of form.querySelectorAll('.choices.checkbox')) {
    const hidden = box.querySelector('input[type=hidden]');
    box.addEventListener('change', () => {
      const ticked = [...box.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.value);
      hidden.value = ticked.length ? JSON.stringify(ticked) : '';
      hidden.dispatchEvent(new Event('input', { bubbles: true }));
    });
  }

  // H-score: the percentages of cells at 0, 1+, 2+, 3+ joined by `;` (they must add up to 100).
  for (const box of form.querySelectorAll('.hscore')) {
    const hidden = box.querySelector('input[type=hidden]');
    const parts = [...box.querySelectorAll('input[data-part]')];
    const show = box.querySelector('.hscore-value');
    box.addEventListener('input', (event) => {
      if (event.target === hidden) return;
      const values = parts.map((p) => (p.value === '' ? 0 : Number(p.value)));
      const any = parts.some((p) => p.value !== '');
      const sum = values.reduce((a, b) => a + b, 0);
      show.textContent = any ? String(values[1] + 2 * values[2] + 3 * values[3]) : '';
      hidden.value = any ? values.join(';') : '';
      box.classList.toggle('invalid', any && Math.abs(sum - 100) > 0.001);
    });
  }

  /** The answer of every field, by question ID. */
  function answers() {
    const found = {};
    for (const field of form.querySelectorAll('.question[data-question]')) {
      const id = field.dataset.question;
      const named = field.querySelectorAll(`[name="q${id}"]`);
      let value = '';
      for (const input of named) {
        if (input.type === 'radio') {
          if (input.checked) value = input.value;
        } else value = input.value;
      }
      found[id] = value;
    }
    return found;
  }

  let saved = answers();
  const changed = () => {
    const now = answers();
    return Object.fromEntries(Object.entries(now).filter(([id, value]) => value !== saved[id]));
  };
  form.addEventListener('input', () => {
    if (status) status.textContent = Object.keys(changed()).length ? 'Unsaved changes' : '';
  });
  form.addEventListener('change', () => form.dispatchEvent(new Event('input')));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const dirty = changed();
    if (Object.keys(dirty).length === 0) {
      status.textContent = 'Nothing to save';
      return;
    }
    const body = new URLSearchParams({
      studyId: String(data.studyId),
      imageId: String(data.imageId),
      answers: JSON.stringify(dirty),
    });
    if (data.core) {
      body.set('tmaRow', String(data.core.row));
      body.set('tmaCol', String(data.core.col));
    }
    status.textContent = 'Saving…';
    status.className = '';
    try {
      const reply = await fetch('/Image/SaveAnswers', { method: 'POST', body, credentials: 'same-origin' });
      const result = await reply.json();
      if (result.success) {
        saved = answers();
        status.textContent = 'Saved';
        status.className = 'ok';
      } else {
        status.textContent = result.log || 'Not saved';
        status.className = 'error';
      }
    } catch (error) {
      status.textContent = `Not saved: ${error.message}`;
      status.className = 'error';
    }
  });
})();
