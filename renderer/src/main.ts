import './lib/zod-jitless.js';
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { getPhone } from './lib/phone.js';
import { PhoneStore } from './lib/stores.svelte.js';
import { applyTheme, savedTheme } from './lib/theme.js';

applyTheme(savedTheme());

const { api, connection } = getPhone();
const store = new PhoneStore(api, connection);
store.start();

const target = document.getElementById('app');
if (target === null) throw new Error('index.html has no #app element');
mount(App, { target, props: { store } });
