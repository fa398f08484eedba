export * from './argocd-health-checks';
