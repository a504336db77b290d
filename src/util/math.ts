/** One mathjs instance for the whole harness (creating one is slow). */
import { all, create, type FactoryFunctionMap } from 'mathjs';

export const math = create(all as FactoryFunctionMap, {});
