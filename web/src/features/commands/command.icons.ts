// The built-in command icons: stroke paths on a 24×24 grid, drawn here and never taken from
// agent.yaml. Keep the names equal to COMMAND_ICONS in api/src/config/agent-config.display.ts.

export const ICON_PATHS: Record<string, string> = {
  terminal: 'M4 6l6 6-6 6M12 18h8',
  disk: 'M3 13h18v6H3zM5 13l2-8h10l2 8M7 16h2',
  memory: 'M5 7h14v10H5zM8 7V4M12 7V4M16 7V4M8 17v3M12 17v3M16 17v3',
  cpu: 'M7 7h10v10H7zM10 10h4v4h-4zM9 3v4M15 3v4M9 17v4M15 17v4M3 9h4M3 15h4M17 9h4M17 15h4',
  clock: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM12 7v5l3 2',
  network: 'M10 3h4v4h-4zM3 17h4v4H3zM17 17h4v4h-4zM12 7v5M5 17v-5h14v5',
  globe: 'M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18zM3 12h18M12 3c3 3 3 15 0 18M12 3c-3 3-3 15 0 18',
  file: 'M6 3h8l4 4v14H6zM14 3v4h4',
  folder: 'M3 6h6l2 2h10v11H3z',
  log: 'M4 6h16M4 10h16M4 14h10M4 18h12',
  restart: 'M20 12a8 8 0 1 1-2.34-5.66M20 4v5h-5',
  power: 'M12 3v9M6.3 6.3a8 8 0 1 0 11.4 0',
  trash: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13',
  download: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  upload: 'M12 20V9M7 14l5-5 5 5M5 4h14',
  database:
    'M5 6c0-1.7 3.1-3 7-3s7 1.3 7 3-3.1 3-7 3-7-1.3-7-3zM5 6v12c0 1.7 3.1 3 7 3s7-1.3 7-3V6M5 12c0 1.7 3.1 3 7 3s7-1.3 7-3',
  shield: 'M12 3l8 3v6c0 4.5-3.4 8-8 9-4.6-1-8-4.5-8-9V6z',
  search: 'M10.5 4a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13zM15.5 15.5L20 20',
  package: 'M3 7l9-4 9 4v10l-9 4-9-4zM3 7l9 4 9-4M12 11v10',
  play: 'M7 4l13 8-13 8z',
  user: 'M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8zM4 21c0-4 3.6-7 8-7s8 3 8 7',
};
