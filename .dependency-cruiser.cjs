/** Architecture rules (docs/architecture.md): apps never import each other; domain code imports no framework. */
module.exports = {
  forbidden: [
    {
      name: 'no-app-to-app',
      comment: 'An app never imports another app; integration goes through libs/contracts and the transport.',
      severity: 'error',
      from: { path: '^apps/([^/]+)/', pathNot: '^apps/platform/' },
      to: { path: '^apps/([^/]+)/', pathNot: '^apps/$1/' },
    },
    {
      name: 'platform-composes-department-modules-only',
      comment:
        'apps/platform is the composition root: it may import other apps only through their department module, their projections and read-model definitions (rebuild CLI) and CLI helpers.',
      severity: 'error',
      from: { path: '^apps/platform/' },
      to: {
        path: '^apps/(?!platform/)[^/]+/',
        pathNot: '^apps/[^/]+/src/([^/]+\\.module|.+\\.projection|.+\\.read-model|cli/progress)\\.ts$',
      },
    },
    {
      name: 'api-dispatches',
      comment:
        'Controllers build commands and queries and dispatch them on the buses: no stores, read models or queries of their own.',
      severity: 'error',
      from: { path: '/api/' },
      to: {
        path: '(/read-model/|^libs/event-store/|^libs/read-model/|^libs/assistance-read-model/|node_modules/(typeorm|pg)/)',
      },
    },
    {
      name: 'no-lib-to-app',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'pure-domain',
      comment: 'domain/ folders hold deciders: no @nestjs/*, typeorm, kafkajs or pg.',
      severity: 'error',
      from: { path: '(/domain/|^libs/assistance-domain/)' },
      to: { path: 'node_modules/(@nestjs/|typeorm|kafkajs|pg/|pg-)' },
    },
    {
      name: 'web-ui-is-browser-only',
      comment: 'apps/web runs in the browser and talks to the API over HTTP: it imports no server code.',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: '^(libs/|apps/(?!web/))' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|\\.spec\\.ts$)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js'],
    },
  },
};
