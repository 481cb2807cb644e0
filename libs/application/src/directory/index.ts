export * from './personal-directory';
export * from './erase-person';
