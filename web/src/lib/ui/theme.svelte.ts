// The light/dark/system choice: kept in localStorage and on <html data-theme> (read before the
// first paint by public/theme.js, which uses the same key).
export type ThemeChoice = 'system' | 'light' | 'dark';

const KEY = 'tiny-agent-theme';
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

function stored(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export class Theme {
  choice = $state<ThemeChoice>(stored());

  set(choice: ThemeChoice) {
    this.choice = choice;
    const root = document.documentElement;
    if (choice === 'system') delete root.dataset.theme;
    else root.dataset.theme = choice;
    try {
      if (choice === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch {
      // storage blocked: the choice lasts until the page is closed
    }
  }

  /** system → light → dark → system, for the one toggle button */
  next(): ThemeChoice {
    return THEME_CHOICES[(THEME_CHOICES.indexOf(this.choice) + 1) % THEME_CHOICES.length]!;
  }
}

export const theme = new Theme();
