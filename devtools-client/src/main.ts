/** Starts the client with the transport of where it runs. */
import '@unocss/reset/tailwind.css'
import 'virtual:uno.css'
import { createApp } from 'vue'
import App from './App.vue'
import { TRANSPORT } from './composables/transport'
import { router } from './router'
import { selectTransport } from './transport/select'

void selectTransport().then(transport => createApp(App)
  .provide(TRANSPORT, transport)
  .use(router)
  .mount('#app'))
