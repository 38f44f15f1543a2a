/** The version of @tsnomad/core. */
export const VERSION = '0.1.0';
