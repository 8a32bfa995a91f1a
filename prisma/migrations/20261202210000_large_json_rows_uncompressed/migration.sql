-- Rows up to a page (8 KB) are kept whole and uncompressed: a scan's large JSON values (a function's
-- blast radius, a permission set's services, a role's recommended policy and reach) were each
-- compressed with pglz as they were written, a cost paid on every scan for disk space only.
ALTER TABLE "functions" SET (toast_tuple_target = 8160);
ALTER TABLE "permission_sets" SET (toast_tuple_target = 8160);
ALTER TABLE "role_recommendations" SET (toast_tuple_target = 8160);
ALTER TABLE "role_reach" SET (toast_tuple_target = 8160);
