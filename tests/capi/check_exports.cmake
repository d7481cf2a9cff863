# ctest's capi.exports: libcanvasfx.so has a versioned SONAME and exports the
# cfx_* functions only (plus the version node's own symbol), so that the C++
# libraries inside it can change without breaking programs linked to it.
#
#   cmake -DLIBRARY=path/to/libcanvasfx.so -P check_exports.cmake
find_program(READELF readelf REQUIRED)
find_program(NM nm REQUIRED)
execute_process(COMMAND ${READELF} -d ${LIBRARY} OUTPUT_VARIABLE dynamic COMMAND_ERROR_IS_FATAL ANY)
if(NOT dynamic MATCHES "Library soname: \\[libcanvasfx\\.so\\.[0-9]+\\]")
  message(FATAL_ERROR "no versioned SONAME:\n${dynamic}")
endif()
execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY} OUTPUT_VARIABLE symbols
                COMMAND_ERROR_IS_FATAL ANY)
string(REPLACE "\n" ";" lines "${symbols}")
set(count 0)
foreach(line IN LISTS lines)
  if(line STREQUAL "")
    continue()
  endif()
  string(REGEX REPLACE "^.* " "" name "${line}")
  if(name MATCHES "^cfx_")
    math(EXPR count "${count} + 1")
  elseif(NOT name MATCHES "^CANVASFX_[0-9]+$")
    message(FATAL_ERROR "libcanvasfx.so exports '${name}', which is not part of the C API")
  endif()
endforeach()
if(count LESS 10)
  message(FATAL_ERROR "only ${count} cfx_ functions exported:\n${symbols}")
endif()
message(STATUS "${count} cfx_ functions exported, nothing else")
