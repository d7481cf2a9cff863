# ctest's install.consumers: installs the build into a temporary prefix, then
# builds and runs README.md's embedding examples against it, as a user would:
#   - the C++ example with find_package(canvasfx) and canvasfx::stdlib;
#   - the C example with `pkg-config canvasfx`;
# and checks that a project can add_subdirectory(canvasfx) (configure only: a
# second full build would cost minutes). Each program's output must be the one
# README.md shows.
#
#   cmake -DSOURCE=... -DBUILD=... -DWORK=... -DC_COMPILER=... -P check_install.cmake
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(prefix ${WORK}/prefix)

function(run)
  cmake_parse_arguments(ARG "" "OUTPUT" "COMMAND" ${ARGN})
  execute_process(COMMAND ${ARG_COMMAND} RESULT_VARIABLE status OUTPUT_VARIABLE out
                  ERROR_VARIABLE err)
  if(NOT status EQUAL 0)
    string(REPLACE ";" " " shown "${ARG_COMMAND}")
    message(FATAL_ERROR "failed (${status}): ${shown}\n${out}\n${err}")
  endif()
  if(ARG_OUTPUT)
    set(${ARG_OUTPUT} "${out}" PARENT_SCOPE)
  endif()
endfunction()

# The fenced block that follows `<!-- NAME -->` in README.md.
function(readme_block name out_var)
  file(READ ${SOURCE}/README.md readme)
  string(FIND "${readme}" "<!-- ${name} -->" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "README.md has no <!-- ${name} --> block")
  endif()
  string(SUBSTRING "${readme}" ${at} -1 rest)
  string(FIND "${rest}" "```" open)
  string(SUBSTRING "${rest}" ${open} -1 rest)
  string(FIND "${rest}" "\n" line_end)
  math(EXPR body_start "${line_end} + 1")
  string(SUBSTRING "${rest}" ${body_start} -1 rest)
  string(FIND "${rest}" "```" close)
  string(SUBSTRING "${rest}" 0 ${close} body)
  set(${out_var} "${body}" PARENT_SCOPE)
endfunction()

function(expect_output name actual)
  readme_block("output: ${name}" expected)
  if(NOT actual STREQUAL expected)
    message(FATAL_ERROR "${name} printed\n${actual}\nREADME.md shows\n${expected}")
  endif()
  message(STATUS "${name}: the output README.md shows")
endfunction()

run(COMMAND ${CMAKE_COMMAND} --install ${BUILD} --prefix ${prefix})

# C++: find_package(canvasfx), canvasfx::stdlib.
readme_block("example: embed.cpp" cpp_source)
file(WRITE ${WORK}/embed.cpp "${cpp_source}")
run(COMMAND ${CMAKE_COMMAND} -S ${SOURCE}/tests/install/cpp -B ${WORK}/cpp -DCMAKE_BUILD_TYPE=Release
            -DCMAKE_PREFIX_PATH=${prefix} -DEXAMPLE_SOURCE=${WORK}/embed.cpp)
run(COMMAND ${CMAKE_COMMAND} --build ${WORK}/cpp)
run(COMMAND ${WORK}/cpp/consumer OUTPUT cpp_output)
expect_output(embed.cpp "${cpp_output}")

# C: pkg-config canvasfx, the shared library.
readme_block("example: embed.c" c_source)
file(WRITE ${WORK}/embed.c "${c_source}")
find_program(PKG_CONFIG pkg-config REQUIRED)
file(GLOB_RECURSE pc_files ${prefix}/*/canvasfx.pc)
list(GET pc_files 0 pc_file)
get_filename_component(pc_dir ${pc_file} DIRECTORY)
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
run(COMMAND ${PKG_CONFIG} --cflags --libs canvasfx OUTPUT flags)
string(STRIP "${flags}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
run(COMMAND ${C_COMPILER} ${WORK}/embed.c ${flags} -o ${WORK}/embed_c)
run(COMMAND ${PKG_CONFIG} --variable=libdir canvasfx OUTPUT libdir)
string(STRIP "${libdir}" libdir)
run(COMMAND ${CMAKE_COMMAND} -E env LD_LIBRARY_PATH=${libdir} ${WORK}/embed_c OUTPUT c_output)
expect_output(embed.c "${c_output}")

# add_subdirectory: configures, with the same target names.
run(COMMAND ${CMAKE_COMMAND} -S ${SOURCE}/tests/install/subdirectory -B ${WORK}/subdirectory
            -DCANVASFX_SOURCE=${SOURCE} -DEXAMPLE_SOURCE=${WORK}/embed.cpp)
message(STATUS "add_subdirectory(canvasfx): configures")

file(REMOVE_RECURSE ${WORK})
