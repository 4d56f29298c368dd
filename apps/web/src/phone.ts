import { ref } from 'vue';

/**
 * Whether the screen is a phone's (up to 768 px wide, the breakpoint styles.css uses too): the layout
 * switches to the touch surface — bottom tab bar, cards for lists, forms as full-screen sheets.
 */
const query = typeof window !== 'undefined' ? window.matchMedia('(max-width: 768px)') : null;
export const isPhone = ref(query?.matches ?? false);
query?.addEventListener('change', (e) => (isPhone.value = e.matches));
