/** The views, in the URL's hash: the client is served under any path, in an iframe or as a page. */
import { createRouter, createWebHashHistory } from 'vue-router'

export const router = createRouter({
  history: createWebHashHistory(),
  routes: [
    { path: '/', name: 'overview', component: () => import('./views/OverviewView.vue') },
    { path: '/flows/:flow?', name: 'flows', component: () => import('./views/FlowsView.vue') },
    { path: '/runs', name: 'runs', component: () => import('./views/RunsView.vue') },
    { path: '/runs/:runId', name: 'run', component: () => import('./views/RunView.vue') },
    { path: '/triggers', name: 'triggers', component: () => import('./views/TriggersView.vue') },
    { path: '/queues/:queue?', name: 'queues', component: () => import('./views/QueuesView.vue') },
  ],
})
