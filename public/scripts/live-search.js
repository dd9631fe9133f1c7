// Progressive enhancement for /jobs: without this file the page is a plain GET form.
// With it, typing and ticking filters refresh the results in place (same server-rendered
// HTML, fetched and swapped), and the address bar keeps a shareable URL.
(() => {
  const form = document.getElementById('job-search');
  if (!form || !window.fetch || !window.DOMParser) return;
  let timer;
  let controller;
  const swapIds = ['results', 'save-search-slot'];
  const query = () => {
    const data = new FormData(form);
    const sp = new URLSearchParams();
    for (const [k, v] of data) if (typeof v === 'string' && v !== '') sp.append(k, v);
    if (!sp.get('near')) { sp.delete('radius'); if (sp.get('sort') === 'distance') sp.delete('sort'); }
    if (sp.get('sort') === 'relevance') sp.delete('sort');
    if (sp.get('radius') === '25') sp.delete('radius');
    return sp.toString();
  };
  const refresh = async () => {
    const qs = query();
    const url = qs ? `/jobs?${qs}` : '/jobs';
    controller?.abort();
    controller = new AbortController();
    const results = document.getElementById('results');
    results?.setAttribute('aria-busy', 'true');
    try {
      const res = await fetch(url, { signal: controller.signal, headers: { accept: 'text/html' } });
      const html = await res.text();
      const doc = new DOMParser().parseFromString(html, 'text/html');
      // Swap the results and the facet lists (their counts change), keep the controls the user is in.
      for (const id of swapIds) {
        const fresh = doc.getElementById(id);
        const current = document.getElementById(id);
        if (fresh && current) current.replaceWith(fresh);
      }
      const freshFilters = doc.querySelectorAll('.filters fieldset.facet');
      const filters = document.querySelectorAll('.filters fieldset.facet');
      freshFilters.forEach((f, i) => {
        if (filters[i] && !filters[i].contains(document.activeElement)) filters[i].replaceWith(f);
      });
      history.replaceState(null, '', url);
    } catch (err) {
      if (err.name !== 'AbortError') window.location.href = url;
    } finally {
      document.getElementById('results')?.setAttribute('aria-busy', 'false');
    }
  };
  form.addEventListener('input', (e) => {
    if (e.target.name === 'q' || e.target.name === 'near') {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    }
  });
  form.addEventListener('change', (e) => {
    if (e.target.name !== 'q' && e.target.name !== 'near') refresh();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    clearTimeout(timer);
    refresh();
  });
})();
