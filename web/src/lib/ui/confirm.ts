// Asks before a destructive action: one modal <dialog>, mounted on demand, answered once.
import { mount, unmount } from 'svelte';
import ConfirmDialog from './ConfirmDialog.svelte';

export interface ConfirmOptions {
  /** The question, naming what is affected: "Delete report.txt?" */
  title: string;
  /** What happens, in a sentence. */
  message?: string;
  /** The verb on the button that acts: "Delete file". */
  confirmLabel: string;
  cancelLabel?: string;
  /** Red for what cannot be undone; false gives the ordinary primary button. */
  danger?: boolean;
}

/** Resolves true when the user chose `confirmLabel`; false on Cancel, Esc or close. */
export function confirmAction(options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = mount(ConfirmDialog, {
      target: document.body,
      props: {
        ...options,
        onanswer: (ok: boolean) => {
          // after this event finishes: the dialog is still dispatching it
          queueMicrotask(() => void unmount(dialog));
          resolve(ok);
        },
      },
    });
  });
}
