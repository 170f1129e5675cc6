/** What a resident's value reads as once it was erased (PIPL): shown as it is, never masked. */
export const ERASED = '（已删除）';
