/** Whether the server is still working on a file (so its row should be polled). */
export function isProcessing(status: string | null | undefined): boolean {
  return !!status && ['pending', 'queued', 'processing', 'running', 'in_progress'].includes(status.toLowerCase());
}
