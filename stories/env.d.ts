// Stylesheets imported for their side effect by the Storybook preview (Vite bundles them).
declare module '*.css' {}
