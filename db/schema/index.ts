export * from './users';
export * from './organizations';
export * from './credentials';
export * from './jobs';
export * from './applications';
export * from './screening';
export * from './system';
export * from './interviews';
