# Installing canvasfx as a library: `cmake --install build --prefix P` puts
#
#   P/include/canvasfx/...           the public headers (and canvasfx_c.h)
#   P/lib/libcanvasfx_*.a            the C++ libraries
#   P/lib/libcanvasfx.so.0           the C API (only cfx_* exported)
#   P/lib/cmake/canvasfx/            find_package(canvasfx): canvasfx::interpreter,
#                                    canvasfx::stdlib, canvasfx::host, canvasfx::c ...
#   P/lib/pkgconfig/canvasfx.pc      pkg-config canvasfx: the C API
#
# A library joins the package with one line, in its own CMakeLists.txt:
#
#   canvasfx_export_library(canvasfx_player player HEADERS include)
#
# which names it canvasfx::player (an ALIAS too, so add_subdirectory users
# write the same name), installs it and its header folders, and puts it in the
# export set that find_package(canvasfx) loads with its dependencies.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# The version macros of the public headers (canvasfx/version.h).
set(CANVASFX_GENERATED_INCLUDE ${PROJECT_BINARY_DIR}/generated-include)
configure_file(${CMAKE_CURRENT_LIST_DIR}/version.h.in
               ${CANVASFX_GENERATED_INCLUDE}/canvasfx/version.h @ONLY)
install(FILES ${CANVASFX_GENERATED_INCLUDE}/canvasfx/version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/canvasfx)

function(canvasfx_export_library target export_name)
  cmake_parse_arguments(ARG "" "" "HEADERS" ${ARGN})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${export_name})
  add_library(canvasfx::${export_name} ALIAS ${target})
  target_include_directories(${target} INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  install(TARGETS ${target} EXPORT canvasfx-targets
          ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
          LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
          RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  foreach(dir IN LISTS ARG_HEADERS)
    install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/
            DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
  endforeach()
endfunction()

# Called once, at the end of the top-level CMakeLists.txt.
function(canvasfx_install_package)
  set(cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/canvasfx)
  install(EXPORT canvasfx-targets NAMESPACE canvasfx:: DESTINATION ${cmake_dir})
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/canvasfx-config.cmake.in
                                ${PROJECT_BINARY_DIR}/canvasfx-config.cmake
                                INSTALL_DESTINATION ${cmake_dir})
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/canvasfx-config-version.cmake
                                   COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/canvasfx-config.cmake
                ${PROJECT_BINARY_DIR}/canvasfx-config-version.cmake
          DESTINATION ${cmake_dir})
  # Relocatable: the prefix is found from where the .pc file is, so that
  # `cmake --install --prefix P` works for any P.
  file(RELATIVE_PATH CANVASFX_PC_TO_PREFIX "/p/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/p")
  string(REGEX REPLACE "/$" "" CANVASFX_PC_TO_PREFIX "${CANVASFX_PC_TO_PREFIX}")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/canvasfx.pc.in ${PROJECT_BINARY_DIR}/canvasfx.pc
                 @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/canvasfx.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endfunction()
