// The theme chosen in the top bar, applied before the first paint so a dark page never flashes
// light. A classic script from the app's own origin: the CSP allows no inline script.
/* global document, localStorage */
try {
  const theme = localStorage.getItem('tiny-agent-theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // storage blocked (private mode, policy): the system's choice applies
}
