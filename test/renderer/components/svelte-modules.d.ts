// The node-side tsconfig (tsconfig.test.json) does not know .svelte files; svelte-check types them.
declare module '*.svelte' {
  import type { Component } from 'svelte';
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const component: Component<any>;
  export default component;
}
