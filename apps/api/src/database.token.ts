/** Nest injection token of the opened Database (connection strings, embedded or not). */
export const DATABASE = Symbol('Database');
