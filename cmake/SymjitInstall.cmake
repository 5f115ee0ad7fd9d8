# `cmake --install`: headers, both libraries, the tools, the docs, the CMake
# package (find_package(symjit CONFIG): symjit::symjit, the shared library,
# and symjit::symjit_static) and symjit.pc (docs/install.md, decision 0032).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(SJ_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/symjit)

install(TARGETS symjit_shared symjit_static symjit_rt_shared symjit_rt_static EXPORT symjitTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/symjit DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
if(TARGET symjit-opt AND TARGET symjit-run)
  install(TARGETS symjit-opt symjit-run RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
if(TARGET symjit-aot)
  install(TARGETS symjit-aot RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})

install(EXPORT symjitTargets NAMESPACE symjit:: DESTINATION ${SJ_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/symjitConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/symjitConfig.cmake INSTALL_DESTINATION ${SJ_CMAKE_DIR})
# 0.x: a different minor version is a different ABI (the SONAME says so too)
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_sj_compat SameMinorVersion)
else()
  set(_sj_compat SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/symjitConfigVersion.cmake COMPATIBILITY ${_sj_compat})
install(FILES ${PROJECT_BINARY_DIR}/symjitConfig.cmake ${PROJECT_BINARY_DIR}/symjitConfigVersion.cmake
        DESTINATION ${SJ_CMAKE_DIR})

# pkg-config: -lsymjit is the shared library; `pkg-config --static` adds what
# libsymjit.a needs (LLVM, threads, libm, libdl).
get_filename_component(SJ_LLVM_LIBDIR ${SJ_LLVM_LIBRARY} DIRECTORY)
get_filename_component(SJ_LLVM_LIBNAME ${SJ_LLVM_LIBRARY} NAME)
list(TRANSFORM CMAKE_DL_LIBS PREPEND "-l" OUTPUT_VARIABLE _sj_dl)
string(JOIN " " _sj_dl ${_sj_dl})
set(SJ_PC_LIBS_PRIVATE "-L${SJ_LLVM_LIBDIR} -l:${SJ_LLVM_LIBNAME} -pthread -lm ${_sj_dl}")
# relocatable: the prefix is found from the .pc file's own place, so
# `cmake --install --prefix DIR` gives a working symjit.pc
file(RELATIVE_PATH SJ_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
string(REGEX REPLACE "/$" "" SJ_PC_TO_PREFIX "${SJ_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/symjit.pc.in ${PROJECT_BINARY_DIR}/symjit.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/symjit.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# symjit_rt.pc: the runtime of exported functions (docs/aot.md), no LLVM.
# -lmvec -lm are public: the exported objects call libm and libmvec.
set(SJ_RT_PC_LIBS_PRIVATE "-pthread ${_sj_dl}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/symjit_rt.pc.in ${PROJECT_BINARY_DIR}/symjit_rt.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/symjit_rt.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
