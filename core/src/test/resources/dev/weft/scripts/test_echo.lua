-- Test only: answers the KEYS and ARGV it was sent, as Redis received them.
--
-- KEYS[1..]  any keys
-- ARGV[1..]  any arguments
--
-- Returns  (ScriptOutputType.MULTI: List<Object>) {keys, argv}: two tables of strings (bytes)
return {KEYS, ARGV}
